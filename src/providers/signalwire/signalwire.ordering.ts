import type { OrderingSetup } from '../../domain/number-ordering';
import { basicAuth } from '../http/basic-auth';
import type { ProviderDeps } from '../provider-definition';
import { TwilioCompatibleOrdering } from '../twilio/twilio-compatible.ordering';
import type { SignalWireConfig } from './signalwire.config';

/**
 * SignalWire buys through its LaML compatibility API, Twilio's format (ordering.md §7): `POST
 * {space}/api/laml/2010-04-01/Accounts/{ProjectID}/IncomingPhoneNumbers` (no `.json`, as for search), 200 with
 * the number; sids are UUIDs.
 */
export function createSignalWireOrdering(config: SignalWireConfig, deps: ProviderDeps): OrderingSetup {
  const list = `${config.spaceUrl}/api/laml/2010-04-01/Accounts/${encodeURIComponent(config.projectId)}/IncomingPhoneNumbers`;
  return {
    available: true,
    ordering: new TwilioCompatibleOrdering(
      {
        provider: 'signalwire',
        carrier: { name: 'SignalWire', credentials: 'SIGNALWIRE_PROJECT_ID and SIGNALWIRE_API_TOKEN' },
        listUrl: list,
        recordUrl: (sid) => `${list}/${encodeURIComponent(sid)}`,
        sidPattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
        authorization: basicAuth(config.projectId, config.apiToken),
      },
      deps.http,
    ),
  };
}
