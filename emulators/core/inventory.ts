import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { createRandom, unitHash } from './random';

export type EmuFeature = 'sms' | 'mms' | 'voice' | 'fax';
export type EmuNumberType = 'local' | 'toll_free' | 'mobile' | 'national';

/** One number in the emulated world, before any carrier renders it in its own wire format. */
export interface InventoryNumber {
  /** E.164 with '+'. */
  e164: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Country calling code, digits ('1', '44'). */
  callingCode: string;
  /** National significant number (digits after the calling code). */
  national: string;
  type: EmuNumberType;
  /** The area code / national destination code the number was generated under. */
  areaCode: string;
  locality?: string;
  /** State / province code in US, CA, AU; region name elsewhere. */
  region?: string;
  /** Rate center (NANP only). */
  rateCenter?: string;
  features: EmuFeature[];
}

interface PrefixSpec {
  prefix: string;
  /** National number length when it differs from the country's usual one. */
  length?: number;
  locality?: string;
  region?: string;
  rateCenter?: string;
  /**
   * NANP exchanges (NXX) the numbers are drawn from: ones Google libphonenumber's geocoding data places in
   * `locality`, so that the place a carrier names and the place the number itself says agree, as they do for
   * real numbers. Without them any exchange is drawn.
   */
  exchanges?: readonly string[];
}

interface CountrySpec {
  country: string;
  callingCode: string;
  /** National significant number length. */
  length: number;
  types: Partial<Record<EmuNumberType, PrefixSpec[]>>;
  /** libphonenumber types accepted for each of our types. */
}

const EXPECTED_TYPES: Record<EmuNumberType, string[]> = {
  local: ['FIXED_LINE', 'FIXED_LINE_OR_MOBILE'],
  toll_free: ['TOLL_FREE'],
  mobile: ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
  national: ['UAN', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'VOIP', 'SHARED_COST'],
};

/** Real area codes and places, so that numbers and localities look like what carriers send. */
const COUNTRIES: CountrySpec[] = [
  {
    country: 'US',
    callingCode: '1',
    length: 10,
    types: {
      local: [
        { prefix: '415', locality: 'San Francisco', region: 'CA', rateCenter: 'SNFC CNTRL', exchanges: ['202', '333', '400', '529', '587', '693', '820', '882'] },
        // 212 and 312 are one city each in the geocoding data: every exchange is.
        { prefix: '212', locality: 'New York', region: 'NY', rateCenter: 'NWYRCYZN01' },
        { prefix: '312', locality: 'Chicago', region: 'IL', rateCenter: 'CHICAGO' },
        { prefix: '206', locality: 'Seattle', region: 'WA', rateCenter: 'SEATTLE', exchanges: ['215', '296', '365', '448', '547', '667', '763', '852'] },
        { prefix: '512', locality: 'Austin', region: 'TX', rateCenter: 'AUSTIN', exchanges: ['206', '322', '344', '383', '447', '473', '542', '833'] },
        { prefix: '617', locality: 'Boston', region: 'MA', rateCenter: 'BOSTON', exchanges: ['227', '330', '367', '424', '451', '573', '720', '729'] },
        { prefix: '303', locality: 'Denver', region: 'CO', rateCenter: 'DENVER', exchanges: ['256', '307', '370', '398', '572', '691', '765', '863'] },
        { prefix: '919', locality: 'Raleigh', region: 'NC', rateCenter: 'RALEIGH', exchanges: ['212', '510', '782', '791', '833', '844', '861', '876'] },
        // An overlay the geocoding data names only by its state: numbers whose place the data cannot tell.
        { prefix: '628', locality: 'San Francisco', region: 'CA', rateCenter: 'SNFC CNTRL' },
      ],
      toll_free: [{ prefix: '800' }, { prefix: '888' }, { prefix: '877' }, { prefix: '866' }, { prefix: '855' }],
    },
  },
  {
    country: 'CA',
    callingCode: '1',
    length: 10,
    types: {
      local: [
        { prefix: '416', locality: 'Toronto', region: 'ON', rateCenter: 'TORONTO', exchanges: ['203', '365', '467', '531', '597', '698', '862', '932'] },
        { prefix: '604', locality: 'Vancouver', region: 'BC', rateCenter: 'VANCOUVER', exchanges: ['215', '266', '408', '631', '647', '680', '714', '801'] },
        { prefix: '514', locality: 'Montreal', region: 'QC', rateCenter: 'MONTREAL', exchanges: ['223', '279', '382', '480', '525', '728', '843', '903'] },
        { prefix: '403', locality: 'Calgary', region: 'AB', rateCenter: 'CALGARY', exchanges: ['200', '218', '239', '258', '277', '295', '543', '720'] },
        { prefix: '613', locality: 'Ottawa', region: 'ON', rateCenter: 'OTTAWAHULL', exchanges: ['216', '236', '248', '521', '564', '680', '729', '738'] },
      ],
      toll_free: [{ prefix: '833' }, { prefix: '844' }],
    },
  },
  {
    country: 'GB',
    callingCode: '44',
    length: 10,
    types: {
      local: [
        { prefix: '20', locality: 'London', region: 'England' },
        { prefix: '161', locality: 'Manchester', region: 'England' },
        { prefix: '121', locality: 'Birmingham', region: 'England' },
        { prefix: '131', locality: 'Edinburgh', region: 'Scotland' },
        { prefix: '113', locality: 'Leeds', region: 'England' },
      ],
      mobile: [{ prefix: '7400' }, { prefix: '7700' }, { prefix: '7911' }],
      toll_free: [{ prefix: '800' }, { prefix: '808' }],
      national: [{ prefix: '330' }, { prefix: '333' }],
    },
  },
  {
    country: 'DE',
    callingCode: '49',
    length: 10,
    types: {
      local: [
        { prefix: '30', locality: 'Berlin', region: 'Berlin' },
        { prefix: '89', locality: 'München', region: 'Bayern' },
        { prefix: '40', locality: 'Hamburg', region: 'Hamburg' },
        { prefix: '69', locality: 'Frankfurt am Main', region: 'Hessen' },
      ],
      mobile: [{ prefix: '151', length: 11 }, { prefix: '160' }, { prefix: '176', length: 11 }],
      toll_free: [{ prefix: '800' }],
    },
  },
  {
    country: 'AU',
    callingCode: '61',
    length: 9,
    types: {
      local: [
        { prefix: '2', locality: 'Sydney', region: 'NSW' },
        { prefix: '3', locality: 'Melbourne', region: 'VIC' },
        { prefix: '7', locality: 'Brisbane', region: 'QLD' },
        { prefix: '8', locality: 'Perth', region: 'WA' },
      ],
      mobile: [{ prefix: '4' }],
      toll_free: [{ prefix: '1800', length: 10 }],
    },
  },
];

export const INVENTORY_COUNTRIES = COUNTRIES.map((c) => c.country);

/** Numbers generated under each prefix. Enough to fill limit=50 for one area code across carriers. */
const PER_PREFIX = 60;

function featuresFor(type: EmuNumberType, random: () => number): EmuFeature[] {
  const r = random();
  const features: EmuFeature[] = ['voice'];
  if (type === 'toll_free') {
    if (r < 0.5) features.push('sms');
    return features;
  }
  if (r < 0.85) features.push('sms');
  if (r < 0.6) features.push('mms');
  if (random() < 0.15) features.push('fax');
  return features;
}

/**
 * The emulated world's inventory: deterministic for a seed, every number valid for its country and type
 * according to libphonenumber-js (so the service's validation accepts it).
 */
export function generateInventory(seed = 'numbers-gateway'): InventoryNumber[] {
  const out: InventoryNumber[] = [];
  const seen = new Set<string>();
  for (const spec of COUNTRIES) {
    for (const [type, prefixes] of Object.entries(spec.types) as [EmuNumberType, PrefixSpec[]][]) {
      for (const p of prefixes) {
        const random = createRandom(`${seed}:${spec.country}:${type}:${p.prefix}`);
        let made = 0;
        for (let attempt = 0; made < PER_PREFIX && attempt < PER_PREFIX * 20; attempt++) {
          const exchange = p.exchanges ? p.exchanges[Math.floor(random() * p.exchanges.length)] : '';
          const length = (p.length ?? spec.length) - p.prefix.length - exchange.length;
          let rest = exchange;
          for (let i = 0; i < length; i++) rest += Math.floor(random() * 10).toString();
          // NANP exchange codes cannot start with 0 or 1.
          if (spec.callingCode === '1' && (rest[0] === '0' || rest[0] === '1')) continue;
          const national = p.prefix + rest;
          const e164 = `+${spec.callingCode}${national}`;
          if (seen.has(e164)) continue;
          const parsed = parsePhoneNumberFromString(e164);
          if (!parsed || !parsed.isValid()) continue;
          // NANP toll-free numbers belong to no single country (libphonenumber files them under US).
          const sharedTollFree = type === 'toll_free' && spec.callingCode === '1';
          if (parsed.country !== spec.country && !sharedTollFree) continue;
          const detected = parsed.getType();
          if (!detected || !EXPECTED_TYPES[type].includes(detected)) continue;
          seen.add(e164);
          made++;
          out.push({
            e164,
            country: spec.country,
            callingCode: spec.callingCode,
            national,
            type,
            areaCode: p.prefix,
            locality: p.locality,
            region: p.region,
            rateCenter: p.rateCenter,
            features: featuresFor(type, random),
          });
        }
      }
    }
  }
  return out;
}

/**
 * The share of the world one carrier holds. Each number is held by a carrier with probability `share`,
 * decided by a hash of both, so carriers overlap (de-duplication is exercised) without being identical.
 */
export function carrierInventory(
  all: readonly InventoryNumber[],
  carrier: string,
  accepts: (n: InventoryNumber) => boolean,
  share = 0.6,
): InventoryNumber[] {
  return all.filter((n) => accepts(n) && unitHash(`${carrier}|${n.e164}`) < share);
}
