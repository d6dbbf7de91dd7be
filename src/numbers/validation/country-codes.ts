import * as countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';
import { isSupportedCountry } from 'libphonenumber-js/max';

countries.registerLocale(english);

/**
 * Every ISO 3166-1 alpha-2 code in use: the 249 assigned ones plus XK, the user-assigned code for
 * Kosovo, which has its own numbering plan (+383) and which carriers sell numbers for.
 */
export const ASSIGNED_COUNTRY_CODES: readonly string[] = Object.keys(countries.getAlpha2Codes()).sort();

/**
 * Territories without a telephone numbering plan of their own (Antarctica, Bouvet Island, Pitcairn, the
 * US Minor Outlying Islands, …): no number exists there to be bought, and libphonenumber, which the
 * exact filter relies on, has no metadata for them. A search for one is refused with the reason.
 */
export const COUNTRIES_WITHOUT_NUMBERING_PLAN: readonly string[] = ASSIGNED_COUNTRY_CODES.filter((c) => !isSupportedCountry(c));

/** The codes a search accepts (in any letter case). */
export const SEARCHABLE_COUNTRY_CODES: readonly string[] = ASSIGNED_COUNTRY_CODES.filter((c) => isSupportedCountry(c));

export function countryName(code: string): string | undefined {
  return countries.getName(code, 'en');
}

/**
 * A regular expression that matches exactly the searchable codes, in any case: one alternative per first
 * letter, e.g. `[Aa][DEFGdefg]`. It is served as the parameter's pattern in /openapi.json and is the
 * test the validation itself applies, so the document and the service cannot disagree.
 */
function exactCodesPattern(codes: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  for (const code of codes) byFirst.set(code[0], [...(byFirst.get(code[0]) ?? []), code[1]]);
  const both = (letters: string) => `${letters}${letters.toLowerCase()}`;
  const alternatives = [...byFirst].map(([first, seconds]) => `[${both(first)}][${both(seconds.join(''))}]`);
  return `^(?:${alternatives.join('|')})$`;
}

export const COUNTRY_CODE_PATTERN = exactCodesPattern(SEARCHABLE_COUNTRY_CODES);
