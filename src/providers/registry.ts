import type { ProviderDefinition } from './provider.interface';
import { signalwireProvider } from './signalwire/signalwire.provider';
import { telnyxProvider } from './telnyx/telnyx.provider';
import { twilioProvider } from './twilio/twilio.provider';

/**
 * Every carrier the service can talk to, in the default priority order of
 * shared/contract/configuration.md. Adding a carrier: one folder under src/providers/ and one line here.
 */
export const PROVIDER_DEFINITIONS: readonly ProviderDefinition<any>[] = [
  telnyxProvider,
  twilioProvider,
  signalwireProvider,
];

export const PROVIDER_NAMES: readonly string[] = PROVIDER_DEFINITIONS.map((d) => d.name);
