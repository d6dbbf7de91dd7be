import { type CarrierEmulator, type EmuRequest, json, readBearer } from '../core/carrier';
import type { EmuNumberType, InventoryNumber } from '../core/inventory';
import { fillUpTo, floodNumbers } from '../core/flood';
import { inShuffledOrder } from '../core/random';
import { handleTelnyxOrdering, telnyxOrderingOperation } from './telnyx.ordering';

/**
 * Telnyx `GET /v2/available_phone_numbers`, after docs/carriers/telnyx-twilio.md §1 (§1.9 in particular).
 *
 * Options (behaviour.options):
 * - bestEffort: true → when filter[best_effort] is not false, also return `best_effort: true` items from
 *   other area codes (as Telnyx does when "no numbers are found in the specified area").
 * - ignoreBestEffortFalse: true → return best_effort items even when filter[best_effort]=false (proves the
 *   adapter drops them whatever the flag does; the flag's real behaviour is unverified).
 * - metaKey: 'meta' | 'metadata' | 'both' | 'none' (default 'metadata': what real captures show, §1.7 quirk 2;
 *   'none' answers `{data: [...]}` alone).
 * - malformedItems: true → also return items an adapter must skip: no phone_number, a null one, one that is
 *   not E.164, and a non-object.
 * - accountError: '20012' | '20100' | '20013' | '20014' → every authenticated search fails with that
 *   account-level code. Its HTTP status is unverified (§1.5); the emulator answers 403, so an adapter that
 *   read the status alone would call it auth_failed.
 * - codedError: { status, code } → every authenticated search fails with this status and code (for example
 *   a 400 carrying 10007, to prove a refused request is never read as an outage and retried).
 *
 * Number orders, the account's phone numbers and their release: telnyx.ordering.ts (options orderDelayMs,
 * orderOutcome, purchaseError).
 *
 * Choices where the reference is silent (UNVERIFIED there): a bad filter[phone_number_type] is 422 with code
 * 10015; filter[limit] defaults to 10 and is capped at 100; several features combine as AND.
 */
const TYPES = ['local', 'toll_free', 'mobile', 'national', 'shared_cost'];
const FEATURE_NAMES = ['sms', 'mms', 'voice', 'fax', 'emergency', 'hd_voice', 'international_sms', 'local_calling'];

const error = (status: number, code: string, title: string, detail: string, extra: Record<string, unknown> = {}) =>
  json(status, { errors: [{ code, title, detail, ...extra, meta: { url: `https://developers.telnyx.com/docs/overview/errors/${code}` } }] });

/** Account-level codes, from Telnyx's error list (telnyx-twilio.md §1.5). */
const ACCOUNT_ERRORS: Record<string, string> = {
  '20012': 'Account inactive',
  '20013': 'Account blocked',
  '20014': 'Account unverified',
  '20100': 'Insufficient funds',
};

/** Titles of the general codes (telnyx-twilio.md §1.5), for scripted coded errors. */
const CODE_TITLES: Record<string, string> = {
  '10004': 'Missing required parameter',
  '10005': 'Resource not found',
  '10007': 'Unexpected error',
  '10008': 'Request timeout',
  '10015': 'Bad Request',
};

/** Items a careless adapter would choke on. */
const MALFORMED_ITEMS: unknown[] = [
  { record_type: 'available_phone_number', best_effort: false, features: [{ name: 'voice' }] },
  { record_type: 'available_phone_number', phone_number: null, best_effort: false },
  { record_type: 'available_phone_number', phone_number: '4155550123', best_effort: false },
  'not an object',
];

const AUTH_FAILED = () => error(401, '10009', 'Authentication failed', 'The required authentication headers were either invalid or not included in the request.');

/** filter[features] in the three forms real clients send: comma-joined, [] brackets, repeated key (§1.3). */
function readFeatures(q: URLSearchParams): string[] {
  const values = [...q.getAll('filter[features]'), ...q.getAll('filter[features][]')];
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

function regionInformation(n: InventoryNumber, i: number) {
  const regions = [
    { region_type: 'country_code', region_name: n.country },
    ...(n.region && ['US', 'CA'].includes(n.country) ? [{ region_type: 'state', region_name: n.region }] : []),
    ...(n.rateCenter ? [{ region_type: 'rate_center', region_name: n.rateCenter }] : []),
    ...(n.locality && !['US', 'CA'].includes(n.country) ? [{ region_type: 'location', region_name: n.locality }] : []),
  ];
  // Order is not guaranteed by Telnyx (§1.4): rotate it per item.
  return regions.map((_, k) => regions[(k + i) % regions.length]);
}

function render(n: InventoryNumber, i: number, bestEffort: boolean) {
  return {
    record_type: 'available_phone_number',
    phone_number: n.e164,
    vanity_format: null,
    best_effort: bestEffort,
    quickship: n.type === 'toll_free',
    reservable: true,
    region_information: regionInformation(n, i),
    cost_information: { upfront_cost: '1.00000', monthly_cost: '1.00000', currency: 'USD' },
    // Telnyx lists features it has beyond ours (emergency) and in no fixed order.
    features: [...[...n.features].reverse(), ...(n.type === 'local' ? ['emergency'] : [])].map((name) => ({ name })),
  };
}

export const telnyxEmulator: CarrierEmulator = {
  name: 'telnyx',
  prefix: '/telnyx',
  defaultCredentials: { apiKey: 'KEY_emulator_telnyx' },
  holds: () => true,
  env: (rootUrl, creds) => ({ TELNYX_API_KEY: creds.apiKey, TELNYX_BASE_URL: `${rootUrl}/telnyx` }),
  operation: (req) => (req.path === '/v2/available_phone_numbers' ? 'search' : (telnyxOrderingOperation(req) ?? 'other')),

  handle(req: EmuRequest, ctx) {
    if (telnyxOrderingOperation(req) !== undefined) {
      if (readBearer(req.headers) !== ctx.credentials.apiKey) return AUTH_FAILED();
      return handleTelnyxOrdering(req, ctx, error)!;
    }
    if (req.path !== '/v2/available_phone_numbers') {
      return error(404, '10005', 'Resource not found', 'The requested resource or URL could not be found.');
    }
    if (req.method !== 'GET') return error(405, '10015', 'Bad Request', 'Method not allowed.');
    if (readBearer(req.headers) !== ctx.credentials.apiKey) return AUTH_FAILED();
    const accountError = ctx.options.accountError as string | undefined;
    if (accountError !== undefined) return error(403, accountError, ACCOUNT_ERRORS[accountError] ?? 'Account error', 'The account cannot perform this action.');
    const coded = ctx.options.codedError as { status: number; code: string } | undefined;
    if (coded !== undefined) return error(coded.status, coded.code, CODE_TITLES[coded.code] ?? 'Error', 'The request could not be completed.');
    const q = req.query;
    const type = q.get('filter[phone_number_type]');
    if (type !== null && !TYPES.includes(type)) {
      return error(422, '10015', 'Bad Request', `The value '${type}' is not valid for phone_number_type.`, { source: { parameter: 'filter[phone_number_type]' } });
    }
    const features = readFeatures(q);
    const unknownFeature = features.find((f) => !FEATURE_NAMES.includes(f));
    if (unknownFeature) {
      return error(422, '10015', 'Bad Request', `The value '${unknownFeature}' is not valid for features.`, { source: { parameter: 'filter[features]' } });
    }
    const rawLimit = q.get('filter[limit]');
    if (rawLimit !== null && !/^\d+$/.test(rawLimit)) {
      return error(422, '10015', 'Bad Request', 'limit must be an integer.', { source: { parameter: 'filter[limit]' } });
    }
    const bestEffortParam = q.get('filter[best_effort]');
    if (bestEffortParam !== null && bestEffortParam !== 'true' && bestEffortParam !== 'false') {
      return error(422, '10015', 'Bad Request', 'best_effort must be a boolean.', { source: { parameter: 'filter[best_effort]' } });
    }
    const limit = Math.min(Number(rawLimit ?? 10), 100);
    // Unknown or unwrapped parameters are ignored, as the real API does (§1.3): a search without
    // filter[country_code] returns numbers from anywhere.
    const country = q.get('filter[country_code]')?.toUpperCase();
    const ndc = q.get('filter[national_destination_code]');
    const matches = (n: InventoryNumber) =>
      (!country || n.country === country) &&
      (!type || n.type === (type as EmuNumberType)) &&
      features.every((f) => (n.features as string[]).includes(f));
    // Search results come in no particular order: a stable shuffle, so an unfiltered search spans many
    // area codes as Telnyx's does.
    const pool = inShuffledOrder(ctx.inventory);
    const exact = pool.filter((n) => matches(n) && (!ndc || n.national.startsWith(ndc))).slice(0, limit);
    let near: InventoryNumber[] = [];
    const wantsNear = ctx.options.bestEffort === true && (bestEffortParam !== 'false' || ctx.options.ignoreBestEffortFalse === true);
    if (wantsNear && ndc) {
      near = pool.filter((n) => matches(n) && !n.national.startsWith(ndc)).slice(0, Math.max(1, Math.floor(limit / 2)));
    }
    const data: unknown[] = [...exact.map((n, i) => render(n, i, false)), ...near.map((n, i) => render(n, i, true))];
    const metadata = { total_results: data.length, best_effort_results: near.length };
    if (ctx.options.malformedItems === true && data.length > 0) data.splice(1, 0, ...MALFORMED_ITEMS);
    const metaKey = (ctx.options.metaKey as string | undefined) ?? 'metadata';
    return json(200, {
      data,
      ...(metaKey === 'meta' || metaKey === 'both' ? { meta: metadata } : {}),
      ...(metaKey === 'metadata' || metaKey === 'both' ? { metadata } : {}),
    });
  },

  floodResponse(req, bytes) {
    const data = fillUpTo(bytes, floodNumbers(req.query.get('filter[national_destination_code]') ?? undefined), (n, i) => render(n, i, false));
    return json(200, { data, metadata: { total_results: data.length, best_effort_results: 0 } });
  },

  errorResponse(status, message) {
    if (message !== undefined) {
      const [code, title] = status === 401 ? ['10009', 'Authentication failed'] : status >= 500 ? ['10007', 'Unexpected error'] : ['10015', 'Bad Request'];
      return error(status, code, title, message);
    }
    switch (status) {
      case 401:
        return AUTH_FAILED();
      case 403:
        return error(403, '10010', 'Authorization failed', 'The API key does not have permission for this resource.');
      case 400:
        return error(400, '10015', 'Bad Request', 'The request failed because it was not well-formed.');
      case 404:
        return error(404, '10005', 'Resource not found', 'The requested resource or URL could not be found.');
      case 422:
        return error(422, '10015', 'Bad Request', 'The request failed validation.');
      case 503:
        return error(503, '10007', 'Unexpected error', 'The service is temporarily unavailable.');
      default:
        return error(status, '10007', 'Unexpected error', 'An unexpected error occured.');
    }
  },

  rateLimitResponse(retryAfterSeconds) {
    const reset = String(retryAfterSeconds ?? 1);
    const res = error(429, '10011', 'Too many requests', 'You have exceeded the maximum number of allowed requests.');
    res.headers = { ...res.headers, 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset };
    return res;
  },
};
