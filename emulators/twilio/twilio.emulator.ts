import type { CarrierEmulator } from '../core/carrier';
import { authFailed, flatError, handleTwilioStyle, rateLimited, twilioStyleOperation, type TwilioStyle } from './twilio-style';
import { handleIncomingNumbers, incomingOperation, TWILIO_INCOMING } from './incoming-numbers';

/**
 * Twilio `GET /2010-04-01/Accounts/{AccountSid}/AvailablePhoneNumbers/{CC}/{Type}.json`
 * (docs/carriers/telnyx-twilio.md §2, §2.6). Answers at most 30 numbers, never pages; a type a country
 * does not offer (US Mobile) is 404/20404.
 *
 * Options (behaviour.options), see twilio-style.ts: malformedItems: true (items to skip mixed in);
 * accountError: { status, code, message } (e.g. { status: 401, code: 20005, message: 'Account not active' }:
 * which status Twilio gives an inactive account is unverified, §2.4).
 *
 * Buying, listing and releasing numbers: incoming-numbers.ts (IncomingPhoneNumbers, option purchaseError).
 *
 * Choices where the reference is unverified: a non-numeric AreaCode is 400/21451; a boolean other than
 * true/false and a PageSize outside 1..1000 are 400/20001; an unknown country is 404/20404; a path AccountSid
 * that is not ^AC[0-9a-fA-F]{32}$ is 404/20404 (checked after auth, whose Basic user must equal it: 401/20003).
 */
export const TWILIO_STYLE: TwilioStyle = {
  apiRoot: '/2010-04-01',
  jsonSuffix: true,
  types: { Local: 'local', TollFree: 'toll_free', Mobile: 'mobile', National: 'national' },
  accountPattern: /^AC[0-9a-fA-F]{32}$/,
  honoursCapabilityFilters: true,
  sendsFax: true,
  sendsLocality: true,
  sendsAddressRequirements: true,
  stringCodes: false,
  moreInfoBase: 'https://www.twilio.com/docs/errors',
  authFailedMessage: 'Authenticate',
};

const MESSAGES: Record<number, [number, string]> = {
  400: [21451, 'Invalid area code'],
  403: [20008, 'Cannot access this resource with Test Credentials'],
  404: [20404, 'The requested resource was not found'],
  500: [20500, 'Internal Server Error'],
  503: [20503, 'Service unavailable'],
};

export const twilioEmulator: CarrierEmulator = {
  name: 'twilio',
  prefix: '/twilio',
  defaultCredentials: { user: 'AC00000000000000000000000000000001', password: 'emulator_twilio_token' },
  // Twilio has no US or Canadian mobile numbers (the US offers Local and TollFree only).
  holds: (n) => !(n.type === 'mobile' && (n.country === 'US' || n.country === 'CA')),
  env: (rootUrl, creds) => ({
    TWILIO_ACCOUNT_SID: creds.user,
    TWILIO_AUTH_TOKEN: creds.password,
    TWILIO_BASE_URL: `${rootUrl}/twilio`,
  }),
  operation: (req) => incomingOperation(TWILIO_STYLE, req) ?? twilioStyleOperation(TWILIO_STYLE, req),
  handle: (req, ctx) => handleIncomingNumbers(TWILIO_STYLE, TWILIO_INCOMING, req, ctx) ?? handleTwilioStyle(TWILIO_STYLE, req, ctx, 30),
  errorResponse(status, message) {
    if (status === 401) return message === undefined ? authFailed(TWILIO_STYLE) : flatError(TWILIO_STYLE, 401, 20003, message);
    const [code, text] = MESSAGES[status] ?? [status >= 500 ? 20500 : 20001, `Error ${status}`];
    return flatError(TWILIO_STYLE, status, code, message ?? text);
  },
  rateLimitResponse: (retryAfterSeconds) => rateLimited(TWILIO_STYLE, retryAfterSeconds),
};
