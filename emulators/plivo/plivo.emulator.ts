import { randomUUID } from 'node:crypto';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { type CarrierEmulator, type EmuResponse, json, readBasic } from '../core/carrier';
import type { EmuFeature, InventoryNumber } from '../core/inventory';
import { inShuffledOrder, unitHash } from '../core/random';
import { apiError, AUTH_FAILED, COUNTRY_NAMES, NOT_PROVIDED, overLimit, titleCase, unauthorised } from './plivo-wire';
import { handlePlivoOrdering, plivoOrderingOperation } from './plivo.ordering';

/**
 * Plivo `GET /v1/Account/{auth_id}/PhoneNumber/`, after docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md
 * §2 and §8b. Its paging is Tastypie's (meta.limit/next/offset/previous/total_count), and so are the limit and
 * offset rules below.
 *
 * Options (behaviour.options):
 * - emptyShape: 'error' (default: `objects: []`, meta, and a non-empty `error`, §2.3) | 'plain' (`objects: []`
 *   with `"error": ""`) | 'error_only' (`{"api_id","error"}` alone, no meta or objects).
 * - emptyLinks: true → meta.next/previous are "" instead of null when there is no such page (as Plivo's
 *   number-pool docs show, §2.3).
 * - malformedItems: true → also return objects an adapter must skip (no number, a null one, one that is not a
 *   number, a non-object).
 * - rateLimit: { requests, windowMs } → the sliding per-account limit (default 300 requests per 5000 ms,
 *   [P-DOC-LIMITS]). It is always enforced: authenticated requests are counted per auth id, and the one past
 *   the limit answers 429 until the oldest leaves the window. The log lives as long as the server.
 *
 * Buying, looking up and unrenting numbers: plivo.ordering.ts (options verification, orderDelayMs, releaseHoldMs,
 * purchaseError).
 *
 * Choices where the reference is silent (UNVERIFIED there), followed by the adapter's README:
 * - `limit` above 20 is clamped to 20 (Tastypie's max_limit; meta.limit says 20); 0 means 20; a non-integer or
 *   negative limit, or a bad offset, is 400 with Tastypie's message;
 * - a missing country_iso is 400 "invalid country ISO", like a malformed one ([P-ISS-NODE201]: a nested
 *   country_iso, i.e. no plain one, got that answer); a well-formed code without inventory is an empty 200;
 * - the path's auth id differing from the Basic user is 401; the path without its trailing slash is 404;
 * - `services` must be one of the five documented values (names in any order, lower case), else 400;
 * - `type` accepts local, tollfree, mobile, national, fixed and any (the PHP SDK's default), else 400;
 * - the 429 carries Retry-After (seconds until the window frees a request); the 401 texts are ours.
 */
const PAGE_CAP = 20;
const API_PATH = /^\/v1\/Account\/([^/]+)\/PhoneNumber\/$/;
const TYPES = ['local', 'tollfree', 'mobile', 'national', 'fixed', 'any'];
const SERVICES: Record<string, EmuFeature[]> = {
  voice: ['voice'],
  sms: ['sms'],
  mms: ['mms'],
  'sms,voice': ['voice', 'sms'],
  'mms,sms,voice': ['voice', 'sms', 'mms'],
};



/** Objects a careless adapter would choke on. */
const MALFORMED_ITEMS: unknown[] = [
  { prefix: '415', city: 'SAN FRANCISCO', country: 'UNITED STATES', type: 'fixed', sub_type: 'local', voice_enabled: true },
  { number: null, prefix: '415', type: 'fixed', sub_type: 'local', voice_enabled: true },
  { number: 'not-a-number', prefix: '415', type: 'fixed', sub_type: 'local', sms_enabled: true },
  'not an object',
];


function matchesType(n: InventoryNumber, type: string): boolean {
  switch (type) {
    case 'local':
      return n.type === 'local';
    case 'national':
      return n.type === 'national';
    case 'fixed':
      return n.type === 'local' || n.type === 'national';
    case 'mobile':
      return n.type === 'mobile';
    case 'tollfree':
      return n.type === 'toll_free';
    default:
      return true; // any
  }
}

function render(n: InventoryNumber, authId: string) {
  const digits = n.e164.slice(1);
  const countryName = COUNTRY_NAMES[n.country] ?? n.country;
  const nanpLocal = n.callingCode === '1' && n.type === 'local';
  const restricted = n.type === 'local' && (n.country === 'DE' || n.country === 'AU');
  const has = (f: EmuFeature) => n.features.includes(f);
  return {
    number: digits,
    prefix: n.areaCode,
    // Upper case as in Plivo's examples; null for national (and non-geographic) numbers (§2.3).
    city: n.type === 'local' && n.locality ? n.locality.toUpperCase() : null,
    country: countryName,
    region: titleCase(countryName),
    rate_center: nanpLocal ? (n.rateCenter ?? null) : null,
    // Documented as a string, sent as an integer too (§2.5 quirk 5).
    lata: nanpLocal ? (unitHash(`lata|${n.e164}`) < 0.5 ? 722 : '722') : null,
    type: n.type === 'toll_free' ? 'tollfree' : n.type === 'mobile' ? 'mobile' : 'fixed',
    sub_type: n.type === 'toll_free' ? 'tollfree' : n.type,
    setup_rate: '0.00000',
    monthly_rental_rate: n.type === 'toll_free' ? '1.00000' : '0.50000',
    sms_enabled: has('sms'),
    sms_rate: '0.00000',
    // mms_enabled is missing from some answers when false (§2.3).
    ...(has('mms') || unitHash(`mms|${n.e164}`) < 0.5 ? { mms_enabled: has('mms'), mms_rate: '0.00000' } : {}),
    voice_enabled: has('voice'),
    voice_rate: '0.00850',
    restriction: restricted ? 'city-address' : null,
    restriction_text: restricted ? 'A local address in the city is required.' : null,
    resource_uri: `/v1/Account/${authId}/PhoneNumber/${digits}/`,
  };
}

/** Tastypie's parsing of limit (0 = max, above max = max) and offset. */
function readPaging(q: URLSearchParams): { limit: number; offset: number } | EmuResponse {
  const rawLimit = q.get('limit');
  let limit = PAGE_CAP;
  if (rawLimit !== null) {
    if (!/^\d+$/.test(rawLimit)) return apiError(400, `Invalid limit '${rawLimit}' provided. Please provide a positive integer.`);
    limit = Number(rawLimit) === 0 ? PAGE_CAP : Math.min(Number(rawLimit), PAGE_CAP);
  }
  const rawOffset = q.get('offset');
  let offset = 0;
  if (rawOffset !== null) {
    if (!/^-?\d+$/.test(rawOffset)) return apiError(400, `Invalid offset '${rawOffset}' provided. Please provide an integer.`);
    offset = Number(rawOffset);
    if (offset < 0) return apiError(400, `Invalid offset '${rawOffset}' provided. Please provide a positive integer >= 0.`);
  }
  return { limit, offset };
}


function link(authId: string, q: URLSearchParams, limit: number, offset: number): string {
  const params = new URLSearchParams(q);
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return `/v1/Account/${authId}/PhoneNumber/?${params.toString()}`;
}

export const plivoEmulator: CarrierEmulator = {
  name: 'plivo',
  prefix: '/plivo',
  defaultCredentials: { authId: 'MAEMULATORPLIVO00001', authToken: 'PlivoEmulatorAuthToken0000000000000001' },
  holds: () => true,
  env: (rootUrl, creds) => ({
    PLIVO_AUTH_ID: creds.authId,
    PLIVO_AUTH_TOKEN: creds.authToken,
    PLIVO_BASE_URL: `${rootUrl}/plivo`,
  }),

  operation: (req) => (API_PATH.test(req.path) ? 'search' : (plivoOrderingOperation(req) ?? 'other')),

  handle(req, ctx) {
    const numberCall = handlePlivoOrdering(req, ctx);
    if (numberCall) return numberCall;
    const path = API_PATH.exec(req.path);
    if (!path) return apiError(404, 'not found');
    if (req.method !== 'GET') return apiError(405, 'method not allowed');
    const basic = readBasic(req.headers);
    if (!basic) return unauthorised(NOT_PROVIDED);
    const pathId = decodeURIComponent(path[1]);
    if (basic.user !== ctx.credentials.authId || basic.password !== ctx.credentials.authToken || pathId !== basic.user) {
      return unauthorised(AUTH_FAILED);
    }
    const wait = overLimit(ctx.credentials, basic.user, ctx.options.rateLimit);
    if (wait !== undefined) return apiError(429, 'too many requests', { 'retry-after': String(wait) });

    const q = req.query;
    const country = (q.get('country_iso') ?? '').toUpperCase();
    if (!/^[A-Z]{2}$/.test(country) || !isSupportedCountry(country)) return apiError(400, 'invalid country ISO');
    const type = q.get('type') ?? 'any';
    if (!TYPES.includes(type)) return apiError(400, `invalid type '${type}': should be one of local, tollfree, mobile, national, fixed`);
    const pattern = q.get('pattern');
    if (pattern !== null && !/^\d*$/.test(pattern)) return apiError(400, 'invalid pattern');
    const rawServices = q.get('services');
    const services = rawServices === null ? undefined : SERVICES[rawServices.split(',').sort().join(',')];
    if (rawServices !== null && (services === undefined || rawServices !== rawServices.toLowerCase())) {
      return apiError(400, `invalid services '${rawServices}': should be one of voice, sms, mms, voice,sms, voice,sms,mms`);
    }
    const paging = readPaging(q);
    if ('status' in paging) return paging;
    const { limit, offset } = paging;

    const matches = inShuffledOrder(ctx.inventory).filter(
      (n) =>
        n.country === country &&
        matchesType(n, type) &&
        // The country code is implied: 415 matches numbers starting with 1415 (§2.2).
        (!pattern || n.e164.slice(1).startsWith(`${n.callingCode}${pattern}`)) &&
        // No services: voice or SMS or both (§2.2); otherwise every named service (AND).
        (services === undefined ? n.features.includes('voice') || n.features.includes('sms') : services.every((s) => n.features.includes(s))),
    );
    const authId = basic.user;
    const objects: unknown[] = matches.slice(offset, offset + limit).map((n) => render(n, authId));
    const none = ctx.options.emptyLinks === true ? '' : null;
    const meta = {
      limit,
      next: offset + limit < matches.length ? link(authId, q, limit, offset + limit) : none,
      offset,
      previous: offset - limit >= 0 ? link(authId, q, limit, offset - limit) : none,
      total_count: matches.length,
    };
    if (objects.length === 0) {
      const message = 'No phone numbers found for the given criteria.';
      switch (ctx.options.emptyShape) {
        case 'plain':
          return json(200, { api_id: randomUUID(), error: '', meta, objects: [] });
        case 'error_only':
          return json(200, { api_id: randomUUID(), error: message });
        default:
          return json(200, { api_id: randomUUID(), error: message, meta, objects: [] });
      }
    }
    if (ctx.options.malformedItems === true) objects.splice(1, 0, ...MALFORMED_ITEMS);
    return json(200, { api_id: randomUUID(), error: '', meta, objects });
  },

  errorResponse(status, message) {
    if (message !== undefined) return status === 401 ? unauthorised(message) : apiError(status, message);
    switch (status) {
      case 401:
        return unauthorised(AUTH_FAILED);
      case 400:
        return apiError(400, 'invalid country ISO');
      case 404:
        return apiError(404, 'not found');
      case 405:
        return apiError(405, 'method not allowed');
      case 429:
        return apiError(429, 'too many requests');
      case 503:
        return apiError(503, 'service unavailable');
      default:
        return apiError(status, status >= 500 ? 'internal server error' : 'bad request');
    }
  },

  rateLimitResponse(retryAfterSeconds) {
    return apiError(429, 'too many requests', retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) });
  },
};
