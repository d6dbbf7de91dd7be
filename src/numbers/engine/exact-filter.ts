import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type NumberType as LibType } from 'libphonenumber-js/max';
import type { ProviderNumber } from '../../domain/number-provider';
import { E164 } from '../../domain/e164';
import { FEATURES, type AvailableNumber, type Feature, type NumberType, type SearchQuery } from '../../domain/search-query';

/** Why a carrier's number was not returned (counted and logged per provider). */
export type RejectReason = 'malformed' | 'invalid_number' | 'wrong_country' | 'wrong_type' | 'wrong_area_code' | 'missing_feature';

export interface FilterResult {
  kept: AvailableNumber[];
  rejected: Partial<Record<RejectReason, number>>;
}


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
 * other countries sharing +1), and the contract promises exact ones. Normalises what it keeps.
 */
export function filterExact(query: SearchQuery, numbers: readonly ProviderNumber[]): FilterResult {
  const kept: AvailableNumber[] = [];
  const rejected: FilterResult['rejected'] = {};
  const reject = (r: RejectReason) => (rejected[r] = (rejected[r] ?? 0) + 1);
  const callingCode = getCountryCallingCode(query.countryCode as CountryCode);
  for (const n of numbers) {
    if (typeof n?.phoneNumber !== 'string' || !E164.test(n.phoneNumber)) {
      reject('malformed');
      continue;
    }
    const parsed = parsePhoneNumberFromString(n.phoneNumber);
    if (!parsed || !parsed.isValid()) {
      reject('invalid_number');
      continue;
    }
    const type = parsed.getType();
    // +1 is shared by the US, Canada and the Caribbean: the region decides. NANP toll-free numbers belong
    // to no single region (libphonenumber files them under US), so they serve every +1 country.
    const sharedTollFree = query.phoneNumberType === 'toll_free' && type === 'TOLL_FREE' && parsed.countryCallingCode === callingCode;
    if (parsed.country !== query.countryCode && !sharedTollFree) {
      reject('wrong_country');
      continue;
    }
    if (type !== undefined && !COMPATIBLE[query.phoneNumberType].has(type)) {
      reject('wrong_type');
      continue;
    }
    if (query.areaCode && !parsed.nationalNumber.startsWith(query.areaCode)) {
      reject('wrong_area_code');
      continue;
    }
    const features = normaliseFeatures(n.features);
    if (!query.features.every((f) => features.includes(f))) {
      reject('missing_feature');
      continue;
    }
    const out: AvailableNumber = { phoneNumber: parsed.number, phoneNumberType: query.phoneNumberType, features };
    const locality = cleanText(n.locality);
    const area = cleanText(n.administrativeArea);
    if (locality) out.locality = locality;
    if (area) out.administrativeArea = area;
    kept.push(out);
  }
  return { kept, rejected };
}

/** Sorted in the contract's order, de-duplicated, only our vocabulary. */
export function normaliseFeatures(features: readonly unknown[] | undefined): Feature[] {
  if (!Array.isArray(features)) return [];
  const set = new Set(features.map((f) => (typeof f === 'string' ? f.trim().toLowerCase() : '')));
  return FEATURES.filter((f) => set.has(f));
}

function cleanText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim().replace(/\s+/g, ' ');
  return t === '' ? undefined : t;
}
