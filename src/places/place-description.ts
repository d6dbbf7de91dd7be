import { isCountryName, regionNamed } from './region-names';

/** A place as the contract carries it: both parts optional, never invented. */
export interface Place {
  locality?: string;
  administrativeArea?: string;
}

const NONE: Place = Object.freeze({});

/** "Gosford/Wyong", "Rum Cay & San Sal", "Bimini and Cat Cay": several places, so no one of them is the number's. */
const SEVERAL = /\/|&| and /;

/** A US or Canadian state or province code, as the +1 data writes it after the town ("San Francisco, CA"). */
const NANP_AREA = /^[A-Z]{2}$/;

/**
 * Reads one description of libphonenumber's geocoding data (src/places/geocoded-places.ts) as a place a person
 * recognises, or as nothing when it is not one:
 * - "Town, Region" (+1 "San Francisco, CA", +81 "Osaka, Osaka", +91 "Chennai, Tamil Nadu") → locality and area; in
 *   +1 the region must be a two-letter code;
 * - a region-level name ("Maine", "Quebec", "New South Wales", "Northern Ireland") → administrativeArea only;
 * - a list of several places ("Gosford/Wyong/…", "Lerwick, Foula & Fair Isle") → nothing: naming one of them would
 *   be a guess, and no place is better than a wrong one; so is a whole country ("Cayman Islands");
 * - any other bare name ("Manchester", "Berlin", "Negril") → locality;
 * - in +1, a bare name that is none of the above is a Caribbean town or island: a locality too.
 */
export function placeFromDescription(callingCode: string, description: string): Place {
  const text = description.trim().replace(/\s+/g, ' ');
  if (text === '') return NONE;
  const region = regionNamed(callingCode, text);
  if (region !== undefined) return { administrativeArea: region };
  if (isCountryName(callingCode, text)) return NONE;
  const parts = text.split(', ');
  if (parts.length === 1) return SEVERAL.test(text) ? NONE : { locality: text };
  if (parts.length !== 2) return NONE;
  const [town, area] = parts;
  if (town === '' || area === '' || SEVERAL.test(area)) return NONE;
  if (callingCode === '1' && !NANP_AREA.test(area)) return NONE;
  // "Shenyang/Tieling/Fushun, Liaoning": the town is a guess, the region is not.
  return SEVERAL.test(town) ? { administrativeArea: area } : { locality: town, administrativeArea: area };
}
