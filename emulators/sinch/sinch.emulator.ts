import { randomUUID } from 'node:crypto';
import { type CarrierEmulator, type EmuRequest, type EmuResponse, json, readBasic } from '../core/carrier';
import type { InventoryNumber } from '../core/inventory';
import { inShuffledOrder } from '../core/random';
import { b64url, CAPABILITIES, envelope, invalid, refuseCaller, sign, TYPES, unauthenticated } from './sinch-wire';
import { handleSinchOrdering, sinchOrderingOperation } from './sinch.ordering';

/**
 * Sinch's Numbers API `GET /v1/projects/{projectId}/availableNumbers` and its OAuth2 token endpoint
 * `POST /oauth2/token`, after docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md §5 and §8b. Both
 * live under the /sinch prefix: SINCH_BASE_URL is {root}/sinch and SINCH_AUTH_URL is {root}/sinch/auth,
 * so one carrier's request log and faults cover both (a fault hits the token request too when the
 * adapter has no cached token).
 *
 * What it reproduces: client-credentials tokens (Basic keyId:keySecret, form grant_type), short-lived
 * JWT-shaped bearer tokens signed with the key secret, expired, revoked or foreign tokens rejected with 401;
 * Basic keyId:keySecret accepted on the Numbers API as well (§5.1); `regionCode` and `type` required
 * (400 INVALID_ARGUMENT otherwise); `capabilities` read as a repeated key (a CSV value is an invalid
 * value); `numberPattern.pattern` matched against the E.164 number including '+' and the country code,
 * with START, CONTAINS, CONTAIN or END; `{"availableNumbers": [...]}` with the singular `capability`, or `{}`
 * when nothing matches (nulls are omitted, §5.3).
 *
 * Options (behaviour.options):
 * - tokenTtlSeconds (default 3600): `expires_in` of issued tokens, and when the emulator stops accepting them.
 * - revokedTokens: string[] → those access tokens are rejected with 401 (as if revoked or expired early); a token
 *   may be given as the request log shows it (its redacted fingerprint).
 * - emptyShape: 'omit' (default, `{}`) | 'array' (`{"availableNumbers": []}`).
 * - stringCodes: true → `error.code` as a string ('400'), as the SDK models type it (§5.4).
 * - malformedItems: true → items an adapter must skip (no phoneNumber, null, not E.164, not an object).
 *
 * Renting, looking up and releasing numbers: sinch.ordering.ts (options purchaseError, expireAfterMs).
 *
 * Choices where the reference is unverified (the adapter's README lists them too): 401 and 403 bodies use the
 * same envelope (UNAUTHENTICATED, PERMISSION_DENIED); a project in the path other than the key's is 403;
 * `size` defaults to 30 and is capped at 100; a pattern without searchPattern is START; 429 is
 * RESOURCE_EXHAUSTED with Retry-After when a wait is scripted; the token endpoint answers RFC 6749 errors
 * (`{"error": "invalid_client", ...}`), and accepts client_id/client_secret in the form too.
 */
const SEARCH_PATTERNS = ['START', 'CONTAINS', 'CONTAIN', 'END'];
const DEFAULT_SIZE = 30;
const MAX_SIZE = 100;
const DEFAULT_TOKEN_TTL_SECONDS = 3600;





/** RFC 6749 §5.2 errors from the token endpoint. */
const oauthError = (status: number, error: string, description: string) => json(status, { error, error_description: description });


function issueToken(keyId: string, secret: string, ttlSeconds: number): string {
  const now = Date.now() / 1000;
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ iss: 'https://auth.sinch.com', sub: keyId, iat: now, exp: now + ttlSeconds, jti: randomUUID() }));
  return `${header}.${payload}.${sign(`${header}.${payload}`, secret)}`;
}


function tokenEndpoint(req: EmuRequest, creds: Readonly<Record<string, string>>, options: Record<string, unknown>): EmuResponse {
  if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'The token endpoint accepts POST only.');
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'The request body must be application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(req.body);
  const basic = readBasic(req.headers);
  const clientId = basic?.user ?? form.get('client_id');
  const clientSecret = basic?.password ?? form.get('client_secret');
  if (clientId !== creds.keyId || clientSecret !== creds.keySecret) return oauthError(401, 'invalid_client', 'Client authentication failed.');
  const grant = form.get('grant_type');
  if (grant === null) return oauthError(400, 'invalid_request', 'Missing grant_type.');
  if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grant}.`);
  const ttl = typeof options.tokenTtlSeconds === 'number' ? options.tokenTtlSeconds : DEFAULT_TOKEN_TTL_SECONDS;
  return json(200, { access_token: issueToken(creds.keyId, creds.keySecret, ttl), expires_in: ttl, scope: '', token_type: 'bearer' });
}

function matchesPattern(e164: string, pattern: string, mode: string): boolean {
  switch (mode) {
    case 'START':
      return e164.startsWith(pattern);
    case 'END':
      return e164.endsWith(pattern);
    default:
      return e164.includes(pattern);
  }
}

function render(n: InventoryNumber) {
  return {
    phoneNumber: n.e164,
    regionCode: n.country,
    type: Object.keys(TYPES).find((k) => TYPES[k] === n.type),
    // Only SMS and VOICE exist in Sinch's vocabulary (§5.2): MMS and fax are never listed.
    capability: CAPABILITIES.filter((c) => (n.features as string[]).includes(c.toLowerCase())),
    setupPrice: { currencyCode: 'EUR', amount: '0.80' },
    monthlyPrice: { currencyCode: 'EUR', amount: n.type === 'toll_free' ? '2.00' : '0.80' },
    paymentIntervalMonths: 1,
    supportingDocumentationRequired: n.country !== 'US',
  };
}

const MALFORMED_ITEMS: unknown[] = [
  { regionCode: 'US', type: 'LOCAL', capability: ['SMS'] },
  { phoneNumber: null, regionCode: 'US', type: 'LOCAL', capability: ['SMS'] },
  { phoneNumber: '4155550123', regionCode: 'US', type: 'LOCAL', capability: ['VOICE'] },
  'not an object',
];

function search(req: EmuRequest, projectId: string, ctx: { inventory: readonly InventoryNumber[]; options: Record<string, unknown>; credentials: Readonly<Record<string, string>> }): EmuResponse {
  const { options, credentials: creds } = ctx;
  if (req.method !== 'GET') return envelope(405, 'Method not allowed.', [], options);
  const refused = refuseCaller(req, projectId, creds, options);
  if (refused) return refused;
  const q = req.query;
  const regionCode = q.get('regionCode');
  if (regionCode === null || regionCode === '') return invalid('regionCode', 'regionCode is required', options);
  if (!/^[A-Z]{2}$/.test(regionCode)) return invalid('regionCode', `parsing field "regionCode": "${regionCode}" is not a valid value`, options);
  const type = q.get('type');
  if (type === null || type === '') return invalid('type', 'type is required', options);
  if (!(type in TYPES)) return invalid('type', `parsing field "type": "${type}" is not a valid value`, options);
  const capabilities = q.getAll('capabilities');
  const badCapability = capabilities.find((c) => !CAPABILITIES.includes(c));
  if (badCapability !== undefined) return invalid('capabilities', `parsing field "capabilities": "${badCapability}" is not a valid value`, options);
  const pattern = q.get('numberPattern.pattern');
  const mode = q.get('numberPattern.searchPattern') ?? 'START';
  if (!SEARCH_PATTERNS.includes(mode)) return invalid('numberPattern.searchPattern', `parsing field "numberPattern.searchPattern": "${mode}" is not a valid value`, options);
  if (pattern !== null && !/^\+?\d{1,15}$/.test(pattern)) return invalid('numberPattern.pattern', `parsing field "numberPattern.pattern": "${pattern}" is not a valid value`, options);
  const rawSize = q.get('size');
  if (rawSize !== null && !/^[1-9]\d{0,4}$/.test(rawSize)) return invalid('size', `parsing field "size": "${rawSize}" is not a valid value`, options);
  const size = Math.min(rawSize === null ? DEFAULT_SIZE : Number(rawSize), MAX_SIZE);
  // Search results come in no particular order: a stable shuffle.
  const matching = inShuffledOrder(ctx.inventory).filter(
    (n) =>
      n.country === regionCode &&
      n.type === TYPES[type] &&
      capabilities.every((c) => (n.features as string[]).includes(c.toLowerCase())) &&
      (pattern === null || matchesPattern(n.e164, pattern, mode)),
  );
  // Results come in no particular order: a stable shuffle, so one search spans many area codes.
  const found = matching.slice(0, size);
  if (found.length === 0) return json(200, options.emptyShape === 'array' ? { availableNumbers: [] } : {});
  const items: unknown[] = found.map(render);
  if (options.malformedItems === true) items.splice(1, 0, ...MALFORMED_ITEMS);
  return json(200, { availableNumbers: items });
}

export const sinchEmulator: CarrierEmulator = {
  name: 'sinch',
  prefix: '/sinch',
  defaultCredentials: { projectId: 'emulator-sinch-project', keyId: 'emulator-sinch-key-id', keySecret: 'emulator-sinch-key-secret' },
  // Sinch has no national type (§5.2).
  holds: (n) => n.type !== 'national',
  env: (rootUrl, creds) => ({
    SINCH_PROJECT_ID: creds.projectId,
    SINCH_KEY_ID: creds.keyId,
    SINCH_KEY_SECRET: creds.keySecret,
    SINCH_BASE_URL: `${rootUrl}/sinch`,
    SINCH_AUTH_URL: `${rootUrl}/sinch/auth`,
  }),

  operation: (req) =>
    req.path === '/auth/oauth2/token'
      ? 'token'
      : /^\/v1\/projects\/[^/]+\/availableNumbers$/.test(req.path)
        ? 'search'
        : (sinchOrderingOperation(req) ?? 'other'),

  handle(req, ctx) {
    if (req.path === '/auth/oauth2/token') return tokenEndpoint(req, ctx.credentials, ctx.options);
    const numberCall = handleSinchOrdering(req, ctx);
    if (numberCall) return numberCall;
    const m = /^\/v1\/projects\/([^/]+)\/availableNumbers$/.exec(req.path);
    if (!m) return envelope(404, 'The requested URL was not found.', [], ctx.options);
    return search(req, decodeURIComponent(m[1]), ctx);
  },

  errorResponse(status, message) {
    // The Numbers API envelope (which the token endpoint's failures are read in too).
    if (message !== undefined) return envelope(status, message);
    switch (status) {
      case 400:
        return envelope(400, 'Request contains an invalid argument.', [{ type: 'BadRequest', fieldViolations: [] }]);
      case 401:
        return unauthenticated();
      case 403:
        return envelope(403, 'The caller does not have permission.');
      case 404:
        return envelope(404, 'Project not found.', [{ type: 'ResourceInfo', resourceType: 'Project', resourceName: 'unknown', owner: '', description: 'Project not found.' }]);
      case 500:
        return envelope(500, 'Internal error encountered.');
      case 503:
        return envelope(503, 'The service is currently unavailable.');
      default:
        return envelope(status, status >= 500 ? 'Unknown error.' : 'The request cannot be processed.');
    }
  },

  rateLimitResponse(retryAfterSeconds) {
    return envelope(429, 'Quota exceeded.', [], {}, retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {});
  },
};
