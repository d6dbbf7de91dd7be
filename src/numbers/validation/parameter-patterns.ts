import { FEATURES, NUMBER_TYPES } from '../../domain/search-query';
import { COUNTRY_CODE_PATTERN } from './country-codes';

/**
 * What each query parameter accepts, written once: the DTO serves these in /openapi.json and the
 * parameter checks accept a value exactly when it matches them. Values are taken as sent: no trimming,
 * no sign, no leading zeros (a `+` in a query string is a space, so `limit=+5` is " 5" and refused).
 */

/** Letters of a word in either case: `[Ss][Mm][Ss]`. */
const anyCase = (word: string) => [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');

const FEATURE = `(?:${FEATURES.map(anyCase).join('|')})`;

export const PARAMETER_PATTERNS = {
  countryCode: COUNTRY_CODE_PATTERN,
  /** One or more features, comma-separated, any case; a repeated feature counts once. */
  features: `^${FEATURE}(?:,${FEATURE})*$`,
  areaCode: '^[0-9]{1,6}$',
  /** Lower case, as the contract's enum spells them. */
  phoneNumberType: `^(?:${NUMBER_TYPES.join('|')})$`,
  /** A whole number from 1 to 50 in plain decimal digits: what an OpenAPI client sends for the integer. */
  limit: '^(?:[1-9]|[1-4][0-9]|50)$',
} as const;

export const LIMIT_MIN = 1;
export const LIMIT_MAX = 50;
export const LIMIT_DEFAULT = 10;

export const PARAMETER_RE: Readonly<Record<keyof typeof PARAMETER_PATTERNS, RegExp>> = {
  countryCode: new RegExp(PARAMETER_PATTERNS.countryCode),
  features: new RegExp(PARAMETER_PATTERNS.features),
  areaCode: new RegExp(PARAMETER_PATTERNS.areaCode),
  phoneNumberType: new RegExp(PARAMETER_PATTERNS.phoneNumberType),
  limit: new RegExp(PARAMETER_PATTERNS.limit),
};
