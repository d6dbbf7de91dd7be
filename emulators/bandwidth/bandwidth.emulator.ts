import { type CarrierEmulator, type EmuRequest, type EmuResponse, readBasic } from '../core/carrier';
import type { InventoryNumber } from '../core/inventory';
import { inShuffledOrder, unitHash } from '../core/random';
import { el, empty, UNAUTHORIZED, xml } from './bandwidth-wire';
import { bandwidthOrderingOperation, handleBandwidthOrdering } from './bandwidth.ordering';
import { searchTypeOf } from './search-types';

/**
 * Bandwidth Numbers (Dashboard/"Iris") `GET /accounts/{accountId}/availableNumbers`, after
 * docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md §3 and §8b. XML only, Basic auth.
 *
 * What it reproduces: no country, type or capability parameter (NANP inventory only; toll-free is a search
 * mode); error 4010 without a required search key (§3.2's key list), 4010 for a combination of parameters that
 * no row of the spec's search-type table admits (search-types.ts: `LCA` with an `areaCode` search, a toll-free
 * key with a local one), and 4000–4008 for a malformed key; `quantity` 1–5000, default 5000, no paging;
 * `ResultCount` + `TelephoneNumberList`, or `TelephoneNumberDetailList` with `enableTNDetail=true`; 10-digit
 * numbers without +1; on the NPA-NXX, NPA-NXX-X and RateCenter searches, `LCA` unset or true mixes in numbers
 * of neighbouring area codes (§3.6 quirk 3); an area code with no inventory at all is 4023; 429 with an empty
 * body and `X-RateLimit-Reset` in epoch seconds (§3.4).
 *
 * Options (behaviour.options):
 * - numberElement: 'FullNumber' (default, the spec) | 'TelephoneNumber' (the SDK fixtures): which element
 *   carries the digits inside each TelephoneNumberDetail (§3.3).
 * - emptyShape: 'bare' (default, `<SearchResult/>`) | 'count' (`<SearchResult><ResultCount>0</ResultCount>
 *   </SearchResult>`): both forms of "no numbers" (§3.3 says whether the count is there is unverified).
 * - errorFamily: 'Error' (default, the spec's `<Error><Code>`) | 'ErrorCode' | 'Errors' | 'ResultCode': the
 *   XML shape of every 4xxx error, in the families Bandwidth's Node SDK reads (§3.4).
 * - searchError: a code such as '4009', '4014', '4023', '4024' → every authenticated, valid search answers
 *   it; searchErrorStatus sets the HTTP status (default 400, the status the reference assumes).
 * - errorIn200: true → search errors come with HTTP 200 (Bandwidth's SDK checks error elements in every body).
 * - malformedItems: true → the lists also hold items an adapter must skip (blank, too short, letters).
 * - xmlDeclaration: false → no `<?xml …?>` prolog.
 *
 * Number orders and disconnects: bandwidth.ordering.ts (options orderDelayMs, orderOutcome, orderErrorCode,
 * purchaseError); the account's site is credentials.siteId (BANDWIDTH_SITE_ID in env()).
 *
 * Choices where the reference is unverified (the adapter's README lists them too): the 401 body is empty
 * (with WWW-Authenticate), a path account id that is not the user's is 403 with 4014, a bad quantity or
 * boolean is 4010, 500 carries 4009 and 502–504 an empty body, zip and LATA searches find nothing (the emulated
 * world has no zip or LATA data), parameters the spec does not know are ignored, and an area-code search (which
 * takes no `LCA`) returns that area code only.
 */

/** Search keys, one of which is required (§3.2's combination table). */
const LOCAL_KEYS = ['areaCode', 'npaNxx', 'npaNxxx', 'rateCenter', 'state', 'city', 'zip', 'lata', 'localVanity'] as const;
const TOLL_FREE_KEYS = ['tollFreeVanity', 'tollFreeWildCardPattern'] as const;
const ORDER_BY = ['fullNumber', 'npaNxxx', 'npaNxx', 'areaCode'];
const PROTECTED = ['NONE', 'ONLY', 'MIXED'];
const MAX_QUANTITY = 5000;

/**
 * Descriptions: 4010's is the spec's own text for a missing search key, typo included (§3.4); the others are
 * ours, after [BW-ERR].
 */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  '4000': 'The area code of telephone numbers can only contain digits and must be 3 digits long, the first digit 2-9',
  '4001': 'The rate center is invalid or unknown',
  '4002': 'NPA, NPA-NXX or NPA-NXX-X must contain only digits and be 3, 6 or 7 digits long',
  '4003': 'The toll free vanity is invalid',
  '4004': 'The toll free wild card pattern is invalid, it must be 3 characters such as 8**, 80* or 877',
  '4005': 'The city is invalid',
  '4006': 'The state must be a two-letter state code',
  '4007': 'The zip code must be 5 or 9 digits',
  '4008': 'The LATA must be up to 5 digits',
  '4009': 'System error, please retry',
  '4010': 'One of more required search parameters are null or empty, please refer to the api documentation',
  '4014': 'Access Denied',
  '4020': 'orderBy must be one of fullNumber, npaNxxx, npaNxx, areaCode',
  '4022': 'protected must be one of NONE, ONLY, MIXED',
  '4023': 'Bandwidth does not support new numbers in this area',
  '4024': 'The numbers found are in a restricted tier',
};

/**
 * 4010 for a combination the search-type table does not admit: SearchErrorType's own description of the code
 * (Bandwidth/api-docs site/docs/numbers/errors.mdx). The ordering API words the LCA case as 5002 "LCA search is
 * not supported for specified search criteria"; a search answers with its SearchErrorType.
 */
const UNSUPPORTED_COMBINATION = 'Provided search criteria are unsupported or are not valid';

/** Every parameter of the spec's GetAvailableTns: the ones the search-type table governs. */
const SPEC_PARAMETERS = [
  'quantity', 'enableTNDetail', 'LCA', 'endsIn', 'areaCode', 'npaNxx', 'npaNxxx', 'lata', 'rateCenter', 'city', 'state',
  'tollFreeVanity', 'tollFreeWildCardPattern', 'localVanity', 'zip', 'orderBy', 'protected',
];


function errorXml(status: number, code: string, options: Record<string, unknown>, description = DESCRIPTIONS[code] ?? 'Error'): EmuResponse {
  let inner: string;
  switch (options.errorFamily) {
    case 'ErrorCode':
      inner = el('ErrorCode', code) + el('Description', description);
      break;
    case 'Errors':
      inner = `<Errors>${el('Code', code)}${el('Description', description)}</Errors>`;
      break;
    case 'ResultCode':
      inner = el('ResultCode', code) + el('ResultMessage', description);
      break;
    default:
      inner = `<Error>${el('Code', code)}${el('Description', description)}</Error>`;
  }
  return xml(status, `<SearchResult>${inner}</SearchResult>`, options);
}



/** Phone keypad letters, for vanity searches. */
const KEYPAD: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({ '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ' }).flatMap(
    ([digit, letters]) => [...letters].map((l) => [l, digit]),
  ),
);
const keypadDigits = (vanity: string) => [...vanity.toUpperCase()].map((c) => KEYPAD[c] ?? c).join('');

/** `8**`, `80*`, `877`: each character a digit or a trailing wildcard. */
const wildcardMatches = (pattern: string, npa: string) => [...pattern].every((c, i) => c === '*' || c === npa[i]);

/** A deterministic made-up LATA per rate center (the emulated world has none). */
const lataOf = (n: InventoryNumber) => String(100 + Math.floor(unitHash(`lata|${n.rateCenter ?? n.areaCode}`) * 800));

function renderDetail(n: InventoryNumber, options: Record<string, unknown>): string {
  const digits = n.national;
  const numberEl = options.numberElement === 'TelephoneNumber' ? el('TelephoneNumber', digits) : el('FullNumber', digits);
  const place =
    n.type === 'local'
      ? (n.locality ? el('City', n.locality.toUpperCase()) : '') +
        el('LATA', lataOf(n)) +
        (n.rateCenter ? el('RateCenter', n.rateCenter) : '') +
        (n.region ? el('State', n.region) : '')
      : '';
  return `<TelephoneNumberDetail>${place}${numberEl}${el('Tier', 0)}${el('VendorId', 49)}${el('VendorName', 'Bandwidth CLEC')}</TelephoneNumberDetail>`;
}

const MALFORMED_PLAIN = ['<TelephoneNumber></TelephoneNumber>', '<TelephoneNumber>555012</TelephoneNumber>', '<TelephoneNumber>ABCDEFGHIJ</TelephoneNumber>'];
const MALFORMED_DETAIL = [
  '<TelephoneNumberDetail><City>NOWHERE</City><State>CA</State><Tier>0</Tier></TelephoneNumberDetail>',
  '<TelephoneNumberDetail><City>NOWHERE</City><FullNumber>0155501234</FullNumber></TelephoneNumberDetail>',
];

function render(numbers: InventoryNumber[], detail: boolean, options: Record<string, unknown>): EmuResponse {
  if (numbers.length === 0) {
    return xml(200, options.emptyShape === 'count' ? '<SearchResult><ResultCount>0</ResultCount></SearchResult>' : '<SearchResult/>', options);
  }
  const malformed = options.malformedItems === true;
  if (detail) {
    const items = numbers.map((n) => renderDetail(n, options));
    if (malformed) items.splice(1, 0, ...MALFORMED_DETAIL);
    return xml(200, `<SearchResult>${el('ResultCount', items.length)}<TelephoneNumberDetailList>${items.join('')}</TelephoneNumberDetailList></SearchResult>`, options);
  }
  const items = numbers.map((n) => el('TelephoneNumber', n.national));
  if (malformed) items.splice(1, 0, ...MALFORMED_PLAIN);
  return xml(200, `<SearchResult>${el('ResultCount', items.length)}<TelephoneNumberList>${items.join('')}</TelephoneNumberList></SearchResult>`, options);
}

/** Validates the query; the first problem found, as Bandwidth's error code and description. */
function validate(q: URLSearchParams): { code: string; description?: string } | undefined {
  const has = (k: string) => q.get(k) !== null;
  const value = (k: string) => q.get(k) ?? '';
  if (!LOCAL_KEYS.some(has) && !TOLL_FREE_KEYS.some(has)) return { code: '4010' };
  if (searchTypeOf(SPEC_PARAMETERS.filter(has)) === undefined) return { code: '4010', description: UNSUPPORTED_COMBINATION };
  const code = malformed(has, value);
  return code === undefined ? undefined : { code };
}

/** The first malformed value, as Bandwidth's error code. */
function malformed(has: (k: string) => boolean, value: (k: string) => string): string | undefined {
  if (has('areaCode') && !/^[2-9]\d{2}$/.test(value('areaCode'))) return '4000';
  if (has('npaNxx') && !/^\d{6}$/.test(value('npaNxx'))) return '4002';
  if (has('npaNxxx') && !/^\d{7}$/.test(value('npaNxxx'))) return '4002';
  if (has('state') && !/^[A-Za-z]{2}$/.test(value('state'))) return '4006';
  if (has('rateCenter') && !/^[A-Za-z0-9 ]{1,10}$/.test(value('rateCenter'))) return '4001';
  if (has('city') && !/^[A-Za-z .'-]{1,40}$/.test(value('city'))) return '4005';
  if (has('zip') && !/^\d{5}(\d{4})?$/.test(value('zip'))) return '4007';
  if (has('lata') && !/^\d{1,5}$/.test(value('lata'))) return '4008';
  if (has('localVanity') && !/^[A-Za-z0-9]{4,7}$/.test(value('localVanity'))) return '4010';
  if (has('tollFreeVanity') && !/^[A-Za-z0-9]{4,10}$/.test(value('tollFreeVanity'))) return '4003';
  if (has('tollFreeWildCardPattern') && !/^8(\*\*|\d\*|\d\d)$/.test(value('tollFreeWildCardPattern'))) return '4004';
  for (const b of ['enableTNDetail', 'LCA', 'endsIn']) if (has(b) && !['true', 'false'].includes(value(b))) return '4010';
  if (has('quantity')) {
    const n = /^\d{1,5}$/.test(value('quantity')) ? Number(value('quantity')) : NaN;
    if (!(n >= 1 && n <= MAX_QUANTITY)) return '4010';
  }
  if (has('orderBy') && !ORDER_BY.includes(value('orderBy'))) return '4020';
  if (has('protected') && !PROTECTED.includes(value('protected'))) return '4022';
  return undefined;
}

function localMatch(q: URLSearchParams, n: InventoryNumber, withArea: boolean): boolean {
  const get = (k: string) => q.get(k);
  if (withArea) {
    if (get('areaCode') !== null && !n.national.startsWith(get('areaCode')!)) return false;
    if (get('npaNxx') !== null && !n.national.startsWith(get('npaNxx')!)) return false;
    if (get('npaNxxx') !== null && !n.national.startsWith(get('npaNxxx')!)) return false;
    if (get('rateCenter') !== null && (n.rateCenter ?? '').toUpperCase() !== get('rateCenter')!.toUpperCase()) return false;
  }
  if (get('state') !== null && (n.region ?? '').toUpperCase() !== get('state')!.toUpperCase()) return false;
  if (get('city') !== null && (n.locality ?? '').toUpperCase() !== get('city')!.toUpperCase()) return false;
  // The emulated world has no zip or LATA data: such searches find nothing.
  if (get('zip') !== null || get('lata') !== null) return false;
  const vanity = get('localVanity');
  if (vanity !== null) {
    const digits = keypadDigits(vanity);
    const line = n.national.slice(3);
    if (get('endsIn') === 'true' ? !line.endsWith(digits) : !line.includes(digits)) return false;
  }
  return true;
}

/** Alternates two lists, starting with the first. */
function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
}

export const bandwidthEmulator: CarrierEmulator = {
  name: 'bandwidth',
  prefix: '/bandwidth',
  defaultCredentials: { accountId: '9900001', username: 'emulator-bandwidth-user', password: 'emulator-bandwidth-password', siteId: '743' },
  holds: (n) => (n.country === 'US' || n.country === 'CA') && (n.type === 'local' || n.type === 'toll_free'),
  env: (rootUrl, creds) => ({
    BANDWIDTH_ACCOUNT_ID: creds.accountId,
    BANDWIDTH_USERNAME: creds.username,
    BANDWIDTH_PASSWORD: creds.password,
    BANDWIDTH_BASE_URL: `${rootUrl}/bandwidth`,
    // The site (sub-account) ordered numbers land in: orders need it (ordering.md §5).
    BANDWIDTH_SITE_ID: creds.siteId,
  }),

  operation: (req) => (/^\/accounts\/[^/]+\/availableNumbers$/.test(req.path) ? 'search' : (bandwidthOrderingOperation(req) ?? 'other')),

  handle(req: EmuRequest, ctx) {
    const ordering = handleBandwidthOrdering(req, ctx);
    if (ordering) return ordering;
    const options = ctx.options;
    const m = /^\/accounts\/([^/]+)\/availableNumbers$/.exec(req.path);
    if (!m) return empty(404);
    if (req.method !== 'GET') return empty(405, { allow: 'GET' });
    const basic = readBasic(req.headers);
    if (!basic || basic.user !== ctx.credentials.username || basic.password !== ctx.credentials.password) return UNAUTHORIZED();
    if (decodeURIComponent(m[1]) !== ctx.credentials.accountId) return errorXml(403, '4014', options);
    const q = req.query;
    const invalid = validate(q);
    const errorStatus = options.errorIn200 === true ? 200 : 400;
    if (invalid) return errorXml(errorStatus, invalid.code, options, invalid.description);
    if (typeof options.searchError === 'string') {
      return errorXml(options.errorIn200 === true ? 200 : Number(options.searchErrorStatus ?? 400), options.searchError, options);
    }
    const quantity = Number(q.get('quantity') ?? MAX_QUANTITY);
    const detail = q.get('enableTNDetail') === 'true';
    // Search results come in no particular order: a stable shuffle.
    const pool = inShuffledOrder(ctx.inventory);

    const wildcard = q.get('tollFreeWildCardPattern');
    const tollFreeVanity = q.get('tollFreeVanity');
    if (wildcard !== null || tollFreeVanity !== null) {
      const found = pool.filter(
        (n) =>
          n.type === 'toll_free' &&
          (wildcard === null || wildcardMatches(wildcard, n.areaCode)) &&
          (tollFreeVanity === null || n.national.slice(3).endsWith(keypadDigits(tollFreeVanity).slice(-7))),
      );
      return render(found.slice(0, quantity), detail, options);
    }

    const local = pool.filter((n) => n.type === 'local');
    const areaCode = q.get('areaCode');
    if (areaCode !== null && !local.some((n) => n.areaCode === areaCode)) return errorXml(errorStatus, '4023', options);
    const exact = local.filter((n) => localMatch(q, n, true));
    // Local Calling Area expansion is on unless LCA=false, on the searches that take LCA (the NPA-NXX,
    // NPA-NXX-X and RateCenter rows of the search-type table, §3.6 quirk 3): numbers of neighbouring area codes
    // (same state first, then the rest of the country) come mixed in with the exact ones.
    const areaSearch = ['npaNxx', 'npaNxxx', 'rateCenter'].some((k) => q.get(k) !== null);
    if (q.get('LCA') === 'false' || !areaSearch || exact.length === 0) return render(exact.slice(0, quantity), detail, options);
    const home = exact[0];
    const neighbours = local
      .filter((n) => n.country === home.country && !exact.includes(n) && localMatch(q, n, false))
      .sort((a, b) => Number(b.region === home.region) - Number(a.region === home.region));
    return render(interleave(exact, neighbours).slice(0, quantity), detail, options);
  },

  errorResponse(status, message) {
    // An error document of the search's own family, with the given text as its Description.
    if (message !== undefined) return errorXml(status, status === 401 || status === 403 ? '4014' : status >= 500 ? '4009' : '4010', {}, message);
    switch (status) {
      case 401:
        return UNAUTHORIZED();
      case 403:
        return errorXml(403, '4014', {});
      case 404:
        return empty(404);
      case 500:
        return errorXml(500, '4009', {});
      case 502:
      case 503:
      case 504:
        return empty(status);
      default:
        return status >= 500 ? errorXml(status, '4009', {}) : errorXml(status, '4010', {});
    }
  },

  rateLimitResponse(retryAfterSeconds) {
    // Empty body, Content-Length 0, the reset as an epoch second (§3.4, [BW-RL]).
    const reset = Math.floor(Date.now() / 1000) + (retryAfterSeconds ?? 1);
    return empty(429, { 'x-ratelimit-reset': String(reset) });
  },
};
