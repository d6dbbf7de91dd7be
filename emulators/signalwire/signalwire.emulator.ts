import type { CarrierEmulator } from '../core/carrier';
import { authFailed, flatError, handleTwilioStyle, rateLimited, twilioStyleOperation, type TwilioStyle } from '../twilio/twilio-style';
import { handleIncomingNumbers, incomingOperation, SIGNALWIRE_INCOMING } from '../twilio/incoming-numbers';

/**
 * SignalWire's LaML compatibility API, `GET /api/laml/2010-04-01/Accounts/{ProjectID}/AvailablePhoneNumbers/{ISO}/Local`,
 * `/TollFree` or `/Mobile` (docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md §4.1, §8b; the official spec is
 * test/fixtures/carrier-specs/signalwire-available-phone-numbers.openapi.yaml): Twilio's format, but capability
 * filters are accepted and ignored, locality is always null, error codes arrive as strings, and the account is a
 * project UUID. `capabilities` carries `fax` beside voice, SMS and MMS, as SignalWire's reference pages list them.
 *
 * Options (behaviour.options), see twilio-style.ts: malformedItems: true; accountError: { status, code, message };
 * integerCodes: true (codes as the spec's integers instead of the captured strings); faxCapability: false
 * (`capabilities` without the fax key, as the 2026 spec's schema has it).
 * Buying, listing and releasing numbers: ../twilio/incoming-numbers.ts (LaML IncomingPhoneNumbers: 200 on a
 * purchase, UUID sids, a second purchase of an owned number refused as 21422; option purchaseError).
 *
 * Choices where the reference is unverified: the Mobile resource (documented by the reference pages, not by the
 * spec's operations) has the Local resource's parameters; inventory outside the US and Canada exists (the spec
 * only says AreaCode, rate_center and region are for US and Canadian numbers); paths with or without `.json` are
 * accepted; PageSize is honoured up to 100; a type or country without inventory is 404 with code "20404".
 */
const STYLE: TwilioStyle = {
  apiRoot: '/api/laml/2010-04-01',
  jsonSuffix: false,
  types: { Local: 'local', TollFree: 'toll_free', Mobile: 'mobile' },
  accountPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  honoursCapabilityFilters: false,
  sendsFax: true,
  sendsLocality: false,
  sendsAddressRequirements: false,
  stringCodes: true,
  moreInfoBase: 'https://developer.signalwire.com/compatibility-api/reference/error-codes',
  // The compatibility API's documented 401 body (vonage-…-sinch.md §4.1).
  authFailedMessage: 'Authentication failed',
};

export const signalwireEmulator: CarrierEmulator = {
  name: 'signalwire',
  prefix: '/signalwire',
  defaultCredentials: { user: '2f0a6c1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', password: 'PTemulator_signalwire_token' },
  // No National resource; Local, TollFree and Mobile wherever the world has them.
  holds: (n) => n.type !== 'national',
  env: (rootUrl, creds) => ({
    SIGNALWIRE_PROJECT_ID: creds.user,
    SIGNALWIRE_API_TOKEN: creds.password,
    SIGNALWIRE_SPACE_URL: `${rootUrl}/signalwire`,
  }),
  // No documented cap: PageSize up to 100, like the Relay API's max_results.
  operation: (req) => incomingOperation(STYLE, req) ?? twilioStyleOperation(STYLE, req),
  handle: (req, ctx) => handleIncomingNumbers(STYLE, SIGNALWIRE_INCOMING, req, ctx) ?? handleTwilioStyle(STYLE, req, ctx, 100),
  errorResponse(status, message) {
    if (status === 401) return message === undefined ? authFailed(STYLE) : flatError(STYLE, 401, 20003, message);
    if (status === 422) return flatError(STYLE, 422, 21217, message ?? 'Phone number does not appear to be valid');
    if (status >= 500) return flatError(STYLE, status, 20500, message ?? 'Internal Server Error');
    return flatError(STYLE, status, 20001, message ?? `Error ${status}`);
  },
  rateLimitResponse: (retryAfterSeconds) => rateLimited(STYLE, retryAfterSeconds),
};
