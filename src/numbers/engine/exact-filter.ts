import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type NumberType as LibType,
} from 'libphonenumber-js/max';
import type { ProviderNumber } from '../../domain/number-provider';
import { E164 } from '../../domain/e164';
import { FEATURES, type AvailableNumber, type Feature, type NumberType, type SearchQuery } from '../../domain/search-query';
import type { Place } from '../../places/place-description';
import { readablePlace } from '../../places/readable-place';

/** Why a carrier's number was not returned (counted and logged per provider). */
export type RejectReason =
  | 'malformed'
  | 'invalid_number'
  | 'wrong_country'
  | 'wrong_type'
  | 'wrong_area_code'
  | 'missing_feature'
  | 'unreadable';

export interface FilterResult {
  kept: AvailableNumber[];
  rejected: Partial<Record<RejectReason, number>>;
}

/** The place derived from a number itself (src/places/geocoded-places.ts), by calling code and national number. */
export type DerivedPlaceLookup = (callingCode: string, nationalNumber: string) => Place | undefined;


/**
 * libphonenumber types a number of each requested type may have. Undefined (not classifiable) passes: the
 * carrier was asked for this type only. FIXED_LINE_OR_MOBILE is how NANP numbers are classified.
 */
const COMPATIBLE: Record<NumberType, ReadonlySet<LibType>> = {
  local: new Set(['FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'VOIP', 'UAN', 'PERSONAL_NUMBER']),
  mobile: new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']),
  toll_free: new Set(['TOLL_FREE']),
  national: new Set(['FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'VOIP', 'UAN', 'SHARED_COST', 'PERSONAL_NUMBER']),
};

/**
 * Keeps only the numbers that satisfy every filter of the query, whatever the carrier returned: carriers
 * send near matches (Telnyx best_effort items, Bandwidth's local calling area, numbers lacking a feature,
 * other countries sharing +1), and the contract promises exact ones. Normalises what it keeps, its place
 * included: the one a person can read (src/places/readable-place.ts), whichever carrier answered.
 *
 * Never throws: it runs on carrier data outside any carrier's error handling (FanOut), so whatever an
 * answer holds, and whatever country was asked (one libphonenumber has no metadata for keeps nothing),
 * an item it cannot judge is dropped and counted as `unreadable`.
 */
export function filterExact(query: SearchQuery, numbers: readonly ProviderNumber[], derivedPlace: DerivedPlaceLookup = () => undefined): FilterResult {
  const kept: AvailableNumber[] = [];
  const rejected: FilterResult['rejected'] = {};
  const callingCode = callingCodeOf(query.countryCode);
  for (const n of Array.isArray(numbers) ? numbers : []) {
    let outcome: AvailableNumber | RejectReason;
    try {
      outcome = judge(query, callingCode, n, derivedPlace);
    } catch {
      outcome = 'unreadable';
    }
    if (typeof outcome === 'string') rejected[outcome] = (rejected[outcome] ?? 0) + 1;
    else kept.push(outcome);
  }
  return { kept, rejected };
}

function judge(query: SearchQuery, callingCode: string | undefined, n: ProviderNumber, derivedPlace: DerivedPlaceLookup): AvailableNumber | RejectReason {
  const verdict = exactVerdict(query, callingCode, n);
  if (typeof verdict === 'string') return verdict;
  const place = readablePlace(n, derivedPlace(verdict.callingCode, verdict.nationalNumber));
  return { phoneNumber: verdict.phoneNumber, ...place, phoneNumberType: query.phoneNumberType, features: verdict.features };
}

/** A number that satisfies every filter of the query: its E.164 form, calling code, national number, features. */
export interface ExactMatch {
  phoneNumber: string;
  callingCode: string;
  nationalNumber: string;
  features: Feature[];
}

/**
 * Whether one carrier number satisfies every filter of the query (country, type, area code, features), without
 * deciding its place: the judgement both the exact filter and the trimming of carrier answers (usable-answers.ts)
 * make. `callingCode` is callingCodeOf(query.countryCode). May throw on data it cannot read (callers count it as
 * unreadable).
 */
export function exactVerdict(query: SearchQuery, callingCode: string | undefined, n: ProviderNumber): ExactMatch | RejectReason {
  if (typeof n?.phoneNumber !== 'string' || !E164.test(n.phoneNumber)) return 'malformed';
  const parsed = parsePhoneNumberFromString(n.phoneNumber);
  if (!parsed || !parsed.isValid()) return 'invalid_number';
  const type = parsed.getType();
  // +1 is shared by the US, Canada and the Caribbean: the region decides. NANP toll-free numbers belong
  // to no single region (libphonenumber files them under US), so they serve every +1 country.
  const sharedTollFree =
    query.phoneNumberType === 'toll_free' && type === 'TOLL_FREE' && callingCode !== undefined && parsed.countryCallingCode === callingCode;
  if (parsed.country !== query.countryCode && !sharedTollFree) return 'wrong_country';
  if (type !== undefined && !COMPATIBLE[query.phoneNumberType]?.has(type)) return 'wrong_type';
  if (query.areaCode && !parsed.nationalNumber.startsWith(query.areaCode)) return 'wrong_area_code';
  const features = normaliseFeatures(n.features);
  if (!query.features.every((f) => features.includes(f))) return 'missing_feature';
  return { phoneNumber: parsed.number, callingCode: parsed.countryCallingCode, nationalNumber: parsed.nationalNumber, features };
}

/** The country's calling code, or undefined for a code libphonenumber has no numbering plan for. */
export function callingCodeOf(countryCode: string): string | undefined {
  return isSupportedCountry(countryCode) ? getCountryCallingCode(countryCode) : undefined;
}

/** Sorted in the contract's order, de-duplicated, only our vocabulary. */
export function normaliseFeatures(features: readonly unknown[] | undefined): Feature[] {
  if (!Array.isArray(features)) return [];
  const set = new Set(features.map((f) => (typeof f === 'string' ? f.trim().toLowerCase() : '')));
  return FEATURES.filter((f) => set.has(f));
}
