import { type CarrierEmulator, json } from '../core/carrier';
import type { InventoryNumber } from '../core/inventory';
import { inShuffledOrder, unitHash } from '../core/random';
import { handleVonageOrdering, vonageOrderingOperation } from './vonage.ordering';
import { authorised, error, headers, vonageType } from './vonage-wire';

/**
 * Vonage (Nexmo) `GET /number/search`, after docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md §1
 * and §8b.
 *
 * Options (behaviour.options):
 * - emptyShape: 'full' (default, `{"count":0,"numbers":[]}`) | 'count' (`{"count":0}`) | 'object' (`{}`) |
 *   'body' (200 with an empty body): the empty-answer shapes of §1.3.
 * - nanpLocalType: 'mobile-lvn' (default, how Vonage's CLI lists US long codes, [V-CLI-PR13]) | 'landline':
 *   the `type` US/CA local numbers carry (unverified, §8).
 * - malformedItems: true → also return items an adapter must skip (no msisdn, a null one, one that is not
 *   a number, a non-object).
 * - methodFailed: true → every authenticated search answers 420 "method failed".
 * - featureOrder: 'strict' → `features` must be one of the seven spec values exactly (default: any order of
 *   the same names, since what the live API does with other orders is unverified, §1.2).
 *
 * Choices where the reference is silent (UNVERIFIED there), followed by the adapter's README:
 * - a missing or malformed `country`, or any bad enum/number (type, features, search_pattern, size, index)
 *   answers 420 "method failed", Vonage's generic failure seen for wrong arguments [V-ISS-NODE193];
 * - `size` above 100 is rejected the same way (not clamped);
 * - several features combine as AND;
 * - 429 has the same `error-code` body; Retry-After only when the scripted fault gives one;
 * - an unknown path answers 404 in the same error shape.
 * Both auth forms are accepted (§1.1): Basic, or `api_key`/`api_secret` query parameters.
 *
 * Buying, cancelling and listing the account's numbers: vonage.ordering.ts.
 */
const TYPES = ['landline', 'mobile-lvn', 'landline-toll-free'];
const FEATURE_VALUES = ['SMS', 'VOICE', 'MMS', 'SMS,VOICE', 'SMS,MMS', 'VOICE,MMS', 'SMS,MMS,VOICE'];
const NAMES = ['SMS', 'VOICE', 'MMS'];

const AUTH_FAILED = () => error(401, 'authentication failed');
const METHOD_FAILED = () => error(420, 'method failed');

/** Items a careless adapter would choke on. */
const MALFORMED_ITEMS: unknown[] = [
  { country: 'US', type: 'mobile-lvn', cost: '0.90', features: ['VOICE'] },
  { country: 'US', msisdn: null, type: 'mobile-lvn', cost: '0.90', features: ['VOICE'] },
  { country: 'US', msisdn: 'not-a-number', type: 'mobile-lvn', cost: '0.90', features: ['SMS'] },
  'not an object',
];

function vonageFeatures(n: InventoryNumber): string[] {
  // Upper case, no fax (§1.3); the order varies between items as in captured answers.
  const names = n.features.filter((f) => f !== 'fax').map((f) => f.toUpperCase());
  return unitHash(`order|${n.e164}`) < 0.5 ? names : [...names].reverse();
}

function render(n: InventoryNumber, type: string) {
  const feats = vonageFeatures(n);
  return {
    country: n.country,
    msisdn: n.e164.slice(1),
    type,
    cost: n.type === 'toll_free' ? '1.50' : '0.90',
    // initialPrice and limitations are v1.1.0 additions (§1.3): sent on some items only.
    ...(unitHash(`ip|${n.e164}`) < 0.5 ? { initialPrice: '0.00' } : {}),
    features: feats,
    ...(feats.includes('SMS') && n.type === 'toll_free'
      ? { limitations: [{ feature: 'SMS', type: 'OUTBOUND', reach: 'INTERNATIONAL' }] }
      : {}),
  };
}

function positiveInt(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

function readFeatures(raw: string, strict: boolean): string[] | undefined {
  if (strict) return FEATURE_VALUES.includes(raw) ? raw.split(',') : undefined;
  const names = raw.split(',');
  const valid = names.every((n) => NAMES.includes(n)) && new Set(names).size === names.length;
  return valid ? names : undefined;
}

export const vonageEmulator: CarrierEmulator = {
  name: 'vonage',
  prefix: '/vonage',
  defaultCredentials: { apiKey: 'a1b2c3d4', apiSecret: 'VonageEmuSecret1' },
  holds: (n) => n.type !== 'national',
  env: (rootUrl, creds) => ({
    VONAGE_API_KEY: creds.apiKey,
    VONAGE_API_SECRET: creds.apiSecret,
    VONAGE_BASE_URL: `${rootUrl}/vonage`,
  }),

  operation: (req) => (req.path === '/number/search' ? 'search' : (vonageOrderingOperation(req) ?? 'other')),

  handle(req, ctx) {
    const ordering = handleVonageOrdering(req, ctx);
    if (ordering) return ordering;
    if (req.path !== '/number/search') return error(404, 'not found');
    if (req.method !== 'GET') return error(405, 'method not allowed');
    if (!authorised(req, ctx.credentials)) return AUTH_FAILED();
    if (ctx.options.methodFailed === true) return METHOD_FAILED();
    const q = req.query;
    const country = q.get('country');
    if (country === null || !/^[A-Z]{2}$/.test(country)) return METHOD_FAILED();
    const type = q.get('type');
    if (type !== null && !TYPES.includes(type)) return METHOD_FAILED();
    const rawFeatures = q.get('features');
    const features = rawFeatures === null ? [] : readFeatures(rawFeatures, ctx.options.featureOrder === 'strict');
    if (features === undefined) return METHOD_FAILED();
    const pattern = q.get('pattern');
    if (pattern !== null && !/^\d+$/.test(pattern)) return METHOD_FAILED();
    const searchPattern = q.get('search_pattern') ?? '0';
    if (!['0', '1', '2'].includes(searchPattern)) return METHOD_FAILED();
    const size = positiveInt(q.get('size'), 10);
    const index = positiveInt(q.get('index'), 1);
    if (size === undefined || size > 100 || index === undefined) return METHOD_FAILED();

    const nanpLocalType = ctx.options.nanpLocalType === 'landline' ? 'landline' : 'mobile-lvn';
    // The pattern is matched against the E.164 digits including the country code (§1.2).
    const matchesPattern = (digits: string) =>
      pattern === null || pattern === ''
        ? true
        : searchPattern === '0'
          ? digits.startsWith(pattern)
          : searchPattern === '1'
            ? digits.includes(pattern)
            : digits.endsWith(pattern);
    const matches = inShuffledOrder(ctx.inventory)
      .map((n) => ({ n, type: vonageType(n, nanpLocalType) }))
      .filter(
        ({ n, type: t }) =>
          t !== undefined &&
          n.country === country &&
          (type === null || t === type) &&
          matchesPattern(n.e164.slice(1)) &&
          features.every((f) => n.features.includes(f.toLowerCase() as InventoryNumber['features'][number])),
      );
    if (matches.length === 0) {
      switch (ctx.options.emptyShape) {
        case 'count':
          return json(200, { count: 0 }, headers());
        case 'object':
          return json(200, {}, headers());
        case 'body':
          return { status: 200, headers: headers(), body: '' };
        default:
          return json(200, { count: 0, numbers: [] }, headers());
      }
    }
    const page: unknown[] = matches.slice((index - 1) * size, index * size).map(({ n, type: t }) => render(n, t!));
    if (ctx.options.malformedItems === true && page.length > 0) page.splice(1, 0, ...MALFORMED_ITEMS);
    // count is the pool total, not the page length (§1.5 quirk 4).
    return json(200, { count: matches.length, numbers: page }, headers());
  },

  errorResponse(status, message) {
    // Vonage's only text is the code's label.
    if (message !== undefined) return error(status, message);
    switch (status) {
      case 401:
        return AUTH_FAILED();
      case 420:
        return METHOD_FAILED();
      case 429:
        return error(429, 'too many requests');
      case 400:
        return error(400, 'bad request');
      case 403:
        return error(403, 'forbidden');
      case 404:
        return error(404, 'not found');
      case 503:
        return error(503, 'service unavailable');
      default:
        return error(status, status >= 500 ? 'internal error' : 'method failed');
    }
  },

  rateLimitResponse(retryAfterSeconds) {
    // Body and headers of Vonage's 429 are unverified (§1.4): the usual error shape, Retry-After only if given.
    return error(429, 'too many requests', retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) });
  },
};
