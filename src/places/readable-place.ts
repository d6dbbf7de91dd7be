import type { Place } from './place-description';

/** What a carrier said about a number's place, as its adapter handed it over. */
export interface CarrierPlace {
  /** A place name, when the carrier has one (Twilio's locality, Bandwidth's City, Plivo's city). */
  locality?: unknown;
  administrativeArea?: unknown;
  /** The carrier's rate-centre code ("SNFC CNTRL"): never shown, it only tells a code from a place name. */
  rateCenter?: unknown;
}

/**
 * The place a caller reads for one number: the one rule every carrier's answer goes through, so that a number
 * shows the same readable place whichever carrier wins its duplicate.
 * - The carrier's locality is kept when it is a place name. Adapters never hand over a rate-centre code as a
 *   locality (Telnyx's rate_center is tagged `rateCenter`); a locality equal to the carrier's own rate-centre
 *   code is one all the same, and is dropped.
 * - Where the carrier's locality and the one derived from the number are the same name in another spelling
 *   ("SAN FRANCISCO", "San Francisco"), the derived spelling is shown, so every carrier's entry reads alike.
 * - Without a carrier locality, the one derived from the number (libphonenumber's geocoding data) is shown;
 *   without either, none: no place is better than a wrong one.
 * - The carrier's administrative area is kept; the derived one fills it when the carrier gave none.
 * Pure: the derived place is looked up by the caller.
 */
export function readablePlace(carrier: CarrierPlace, derived: Place | undefined): Place {
  const rateCenter = cleanText(carrier.rateCenter);
  let locality = cleanText(carrier.locality);
  if (locality !== undefined && rateCenter !== undefined && sameName(locality, rateCenter)) locality = undefined;
  const derivedLocality = derived?.locality;
  if (locality === undefined) locality = derivedLocality;
  else if (derivedLocality !== undefined && sameName(locality, derivedLocality)) locality = derivedLocality;
  const administrativeArea = cleanText(carrier.administrativeArea) ?? derived?.administrativeArea;
  return {
    ...(locality !== undefined && { locality }),
    ...(administrativeArea !== undefined && { administrativeArea }),
  };
}

/** Trimmed, inner whitespace collapsed; undefined for anything but a non-blank string. */
export function cleanText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim().replace(/\s+/g, ' ');
  return t === '' ? undefined : t;
}

/** Equal ignoring case, accents, spaces and punctuation: "MONTREAL" and "Montréal", "ST. LOUIS" and "St Louis". */
function sameName(a: string, b: string): boolean {
  return fold(a) === fold(b);
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}
