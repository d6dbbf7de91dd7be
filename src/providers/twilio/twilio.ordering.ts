import type { OrderingSetup } from '../../domain/number-ordering';
import { basicAuth } from '../http/basic-auth';
import type { ProviderDeps } from '../provider-definition';
import { TwilioCompatibleOrdering } from './twilio-compatible.ordering';
import type { TwilioConfig } from './twilio.config';

/**
 * Twilio buys synchronously: `POST /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers.json` with PhoneNumber,
 * 201 with the number (ordering.md §2). `.json` selects JSON, as for search.
 */
export function createTwilioOrdering(config: TwilioConfig, deps: ProviderDeps): OrderingSetup {
  const list = `${config.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/IncomingPhoneNumbers`;
  return {
    available: true,
    ordering: new TwilioCompatibleOrdering(
      {
        provider: 'twilio',
        carrier: { name: 'Twilio', credentials: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN' },
        listUrl: `${list}.json`,
        recordUrl: (sid) => `${list}/${encodeURIComponent(sid)}.json`,
        sidPattern: /^PN[0-9a-fA-F]{32}$/,
        authorization: basicAuth(config.accountSid, config.authToken),
      },
      deps.http,
    ),
  };
}
