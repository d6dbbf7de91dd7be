import type { CarrierEmulator } from '../core/carrier';
import { authFailed, flatError, handleTwilioStyle, rateLimited, twilioStyleOperation, type TwilioStyle } from '../twilio/twilio-style';
import { handleIncomingNumbers, incomingOperation, SIGNALWIRE_INCOMING } from '../twilio/incoming-numbers';

/**
 * SignalWire's LaML compatibility API, `GET /api/laml/2010-04-01/Accounts/{ProjectID}/AvailablePhoneNumbers/{ISO}/Local`
 * or `/TollFree` (docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md §4.1, §8b): Twilio's format, but
 * capability filters are accepted and ignored, there is no Mobile, locality is always null, error codes
 * arrive as strings, and the account is a project UUID.
 *
 * Options (behaviour.options), see twilio-style.ts: malformedItems: true; accountError: { status, code, message };
 * integerCodes: true (codes as the spec's integers instead of the captured strings).
 * Buying, listing and releasing numbers: ../twilio/incoming-numbers.ts (LaML IncomingPhoneNumbers: 200 on a
 * purchase, UUID sids, a second purchase of an owned number refused as 21422; option purchaseError).
 *
 * Choices where the reference is unverified: paths with or without `.json` are accepted; PageSize is
 * honoured up to 100; a type or country without inventory is 404 with code "20404".
 */
const STYLE: TwilioStyle = {
  apiRoot: '/api/laml/2010-04-01',
  jsonSuffix: false,
  types: { Local: 'local', TollFree: 'toll_free' },
  accountPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  honoursCapabilityFilters: false,
  sendsFax: false,
  sendsLocality: false,
  stringCodes: true,
  moreInfoBase: 'https://developer.signalwire.com/compatibility-api/reference/error-codes',
  // The compatibility API's documented 401 body (vonage-…-sinch.md §4.1).
  authFailedMessage: 'Authentication failed',
};

export const signalwireEmulator: CarrierEmulator = {
  name: 'signalwire',
  prefix: '/signalwire',
  defaultCredentials: { user: '2f0a6c1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', password: 'PTemulator_signalwire_token' },
  holds: (n) => (n.country === 'US' || n.country === 'CA') && (n.type === 'local' || n.type === 'toll_free'),
  env: (rootUrl, creds) => ({
    SIGNALWIRE_PROJECT_ID: creds.user,
    SIGNALWIRE_API_TOKEN: creds.password,
    SIGNALWIRE_SPACE_URL: `${rootUrl}/signalwire`,
  }),
  // No documented cap: PageSize up to 100, like the Relay API's max_results.
  operation: (req) => incomingOperation(STYLE, req) ?? twilioStyleOperation(STYLE, req),
  handle: (req, ctx) => handleIncomingNumbers(STYLE, SIGNALWIRE_INCOMING, req, ctx) ?? handleTwilioStyle(STYLE, req, ctx, 100),
  errorResponse(status) {
    if (status === 401) return authFailed(STYLE);
    if (status === 422) return flatError(STYLE, 422, 21217, 'Phone number does not appear to be valid');
    if (status >= 500) return flatError(STYLE, status, 20500, 'Internal Server Error');
    return flatError(STYLE, status, 20001, `Error ${status}`);
  },
  rateLimitResponse: (retryAfterSeconds) => rateLimited(STYLE, retryAfterSeconds),
};
