import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js/max';
import type { Feature, NumberType } from '../../domain/search-query';
import { basicAuth } from '../http/basic-auth';
import type { ProviderHttp, ProviderResponse } from '../http/provider-http-client';
import { ProviderError } from '../../domain/provider-error';
import type { NumberProvider, ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import type { ProviderDefinition } from '../provider-definition';
import { readVonageConfig, type VonageConfig } from './vonage.config';
import { vonageError } from './vonage.errors';
import { createVonageOrdering } from './vonage.ordering';
import type { VonageAvailableNumber, VonageFeatures, VonageNumberType, VonageSearchResponse } from './vonage.types';
import { E164 } from '../../domain/e164';

/** `size` maximum (§1.2): larger than our largest limit (50), so one page always suffices. */
const MAX_SIZE = 100;

/** '+' + msisdn must be E.164 (§1.5 quirk 1); anything else is a malformed item. */

/** What Vonage reports (§1.3): no fax. */
const VONAGE_FEATURES: ReadonlySet<string> = new Set<Feature>(['sms', 'mms', 'voice']);

/**
 * `features` takes exactly one of seven upper-case CSV values with a fixed order (§1.2). Every non-empty
 * subset of sms/mms/voice has one; the all-three value is the spec's `SMS,MMS,VOICE` (the Node SDK's order).
 */
const FEATURE_VALUE: Readonly<Record<string, VonageFeatures>> = {
  sms: 'SMS',
  voice: 'VOICE',
  mms: 'MMS',
  'sms,voice': 'SMS,VOICE',
  'mms,sms': 'SMS,MMS',
  'mms,voice': 'VOICE,MMS',
  'mms,sms,voice': 'SMS,MMS,VOICE',
};

/** Countries sharing +1: their long codes are one kind of number (see typeFor). */
const NANP_CALLING_CODE = '1';

export class VonageProvider implements NumberProvider {
  readonly name = 'vonage';
  private readonly authorization: string;

  constructor(
    private readonly config: VonageConfig,
    private readonly http: ProviderHttp,
  ) {
    this.authorization = basicAuth(config.apiKey, config.apiSecret);
  }

  supports(query: SearchQuery): boolean {
    // Vonage reports SMS, VOICE and MMS only (§1.3): a fax search could never be verified.
    if (query.features.includes('fax')) return false;
    const callingCode = callingCodeOf(query.countryCode);
    if (callingCode === undefined) return false;
    return typeFor(query.phoneNumberType, callingCode) !== 'unsupported';
  }

  async search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    const callingCode = callingCodeOf(query.countryCode);
    const type = callingCode === undefined ? 'unsupported' : typeFor(query.phoneNumberType, callingCode);
    if (callingCode === undefined || type === 'unsupported') return [];
    const res = await this.http.request({
      url: `${this.config.baseUrl}/number/search`,
      query: vonageQuery(query, callingCode, type),
      // Basic auth is the current spec's scheme (§1.1); the older api_key/api_secret query form would put
      // the secret in URLs and logs.
      headers: { authorization: this.authorization, accept: 'application/json' },
      signal: ctx.signal,
    });
    if (!res.ok) throw vonageError(res);
    const items = readNumbers(res);
    return items.flatMap((item) => toNumber(item, type === undefined));
  }
}

/**
 * The wire query: country, type, pattern + search_pattern, features, size. There is no area-code
 * parameter: a start-with pattern counts the country calling code (US 415 → pattern=1415, §1.2, §1.5
 * quirk 1). search_pattern=0 is the API default but is sent anyway, because the Node SDK's default is 1
 * (contains), which would match 415 anywhere in the number.
 */
export function vonageQuery(query: SearchQuery, callingCode: string, type: VonageNumberType | undefined): URLSearchParams {
  const q = new URLSearchParams();
  q.set('country', query.countryCode);
  if (type) q.set('type', type);
  if (query.areaCode) {
    q.set('pattern', `${callingCode}${query.areaCode}`);
    q.set('search_pattern', '0');
  }
  const features = featuresValue(query.features);
  if (features) q.set('features', features);
  q.set('size', String(Math.min(query.limit, MAX_SIZE)));
  return q;
}

/** The enum value for a set of requested features (fax excluded by supports()). */
export function featuresValue(features: readonly Feature[]): VonageFeatures | undefined {
  const key = features.filter((f) => VONAGE_FEATURES.has(f)).sort().join(',');
  return key === '' ? undefined : FEATURE_VALUE[key];
}

/**
 * Our type → Vonage's `type` (§1.2, §8):
 * - toll_free → landline-toll-free; mobile → mobile-lvn; local → landline;
 * - national: Vonage has no such type → unsupported;
 * - NANP (+1): which label US/CA long codes carry is UNVERIFIED (Vonage's CLI lists them as mobile-lvn,
 *   [V-CLI-PR13]). A local search sends no `type`, so it finds them whichever label they carry, and the
 *   toll-free numbers that an untyped search also returns are dropped (`undefined` = untyped). A mobile
 *   search is unsupported there: NANP does not tell mobile from landline numbers, so it would only return
 *   the same long codes as a local one.
 */
export function typeFor(type: NumberType, callingCode: string): VonageNumberType | undefined | 'unsupported' {
  const nanp = callingCode === NANP_CALLING_CODE;
  switch (type) {
    case 'local':
      return nanp ? undefined : 'landline';
    case 'mobile':
      return nanp ? 'unsupported' : 'mobile-lvn';
    case 'toll_free':
      return 'landline-toll-free';
    case 'national':
      return 'unsupported';
    default: {
      const never: never = type;
      return never;
    }
  }
}

function callingCodeOf(countryCode: string): string | undefined {
  return isSupportedCountry(countryCode) ? getCountryCallingCode(countryCode) : undefined;
}

/**
 * The 200 body. Empty answers come in four shapes (§1.3): `{"count":0,"numbers":[]}`, `{"count":0}`, `{}`
 * and an empty body (the PHP SDK's fix treats `empty(json_decode(body))` as "no results"). Anything else
 * without a numbers array is not a Vonage answer.
 */
function readNumbers(res: ProviderResponse): VonageAvailableNumber[] {
  if (res.body.trim() === '') return [];
  const body = res.json() as VonageSearchResponse;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badResponse(res, 'answered with a body that is not an object');
  }
  if (Array.isArray(body.numbers)) return body.numbers;
  const keys = Object.keys(body);
  const emptyAnswer = body.numbers === undefined && keys.every((k) => k === 'count') && (body.count === undefined || body.count === 0);
  if (emptyAnswer) return [];
  throw badResponse(res, 'answered without a numbers array');
}

function badResponse(res: ProviderResponse, message: string): ProviderError {
  return new ProviderError({ provider: 'vonage', kind: 'bad_response', httpStatus: res.status, message });
}

function toNumber(item: VonageAvailableNumber, untypedLocal: boolean): ProviderNumber[] {
  if (typeof item !== 'object' || item === null) return [];
  const msisdn = typeof item.msisdn === 'string' ? item.msisdn.trim() : typeof item.msisdn === 'number' ? String(item.msisdn) : '';
  const phoneNumber = msisdn.startsWith('+') ? msisdn : `+${msisdn}`;
  if (!E164.test(phoneNumber)) return [];
  // An untyped NANP local search also returns toll-free numbers (see typeFor).
  if (untypedLocal && item.type === 'landline-toll-free') return [];
  // No locality or region in Vonage answers (§1.5 quirk 5).
  return [{ phoneNumber, features: features(item.features) }];
}

/** Upper-case names in an array (§1.3); a CSV string is tolerated. Unknown names are dropped. */
function features(raw: unknown): Feature[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  const out = new Set<Feature>();
  for (const f of list) {
    const name = typeof f === 'string' ? f.trim().toLowerCase() : '';
    if (VONAGE_FEATURES.has(name)) out.add(name as Feature);
  }
  return [...out];
}

export const vonageProvider: ProviderDefinition<VonageConfig> = {
  name: 'vonage',
  secretEnv: ['VONAGE_API_SECRET'],
  basicAuthEnv: ['VONAGE_API_KEY', 'VONAGE_API_SECRET'],
  readConfig: readVonageConfig,
  create: (config, deps) => new VonageProvider(config, deps.http),
  createOrdering: createVonageOrdering,
};
