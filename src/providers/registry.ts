import type { ProviderDefinition } from './provider-definition';
import { bandwidthProvider } from './bandwidth/bandwidth.provider';
import { plivoProvider } from './plivo/plivo.provider';
import { signalwireProvider } from './signalwire/signalwire.provider';
import { sinchProvider } from './sinch/sinch.provider';
import { telnyxProvider } from './telnyx/telnyx.provider';
import { twilioProvider } from './twilio/twilio.provider';
import { vonageProvider } from './vonage/vonage.provider';

/**
 * Every carrier the service can talk to, in the default priority order of
 * contract/configuration.md. Adding a carrier: one folder under src/providers/ and one line here.
 */
export const PROVIDER_DEFINITIONS: readonly ProviderDefinition<any>[] = [
  telnyxProvider,
  twilioProvider,
  vonageProvider,
  plivoProvider,
  bandwidthProvider,
  sinchProvider,
  signalwireProvider,
];

export const PROVIDER_NAMES: readonly string[] = PROVIDER_DEFINITIONS.map((d) => d.name);
