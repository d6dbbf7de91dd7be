/**
 * Region-level names in libphonenumber's English geocoding data, per country calling code, with the code a
 * carrier would give for the region (Twilio's and Telnyx's administrative areas are two-letter codes in the US
 * and Canada). A description that is one of these names says where a number's region is, not its town: it
 * becomes the administrativeArea and never a locality.
 *
 * +1: the data names a US or Canadian number "City, ST", or by its state or province alone for area codes that
 * cover one ("Maine" for 207). Every such name the data holds is here, its own spellings included ("Washington
 * State", "Washington D.C.", "British Colombia"). The other bare +1 names are towns and islands of the
 * Caribbean members of the plan ("Negril", "George Town"), which are localities.
 * Other calling codes: the names found among the descriptions of the countries this service's emulated world
 * covers (+44, +49, +61); libphonenumber's descriptions elsewhere are town names, or "Town, Region".
 */
const NANP_REGIONS: Readonly<Record<string, string>> = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  'Washington State': 'WA',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
  'Washington D.C.': 'DC',
  Alberta: 'AB',
  'British Columbia': 'BC',
  'British Colombia': 'BC',
  Manitoba: 'MB',
  'New Brunswick': 'NB',
  'Newfoundland and Labrador': 'NL',
  Ontario: 'ON',
  Quebec: 'QC',
  Saskatchewan: 'SK',
};

const REGIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '1': NANP_REGIONS,
  '44': { 'Northern Ireland': 'Northern Ireland' },
  '61': { 'New South Wales': 'NSW' },
};

/** Names that are a whole country or territory of the plan: neither a town nor a region of one. */
const COUNTRIES: Readonly<Record<string, ReadonlySet<string>>> = {
  '1': new Set(['Cayman Islands']),
};

/** The region code or name a region-level description stands for, or undefined when it is not one. */
export function regionNamed(callingCode: string, name: string): string | undefined {
  return REGIONS[callingCode]?.[name];
}

export function isCountryName(callingCode: string, name: string): boolean {
  return COUNTRIES[callingCode]?.has(name) ?? false;
}
