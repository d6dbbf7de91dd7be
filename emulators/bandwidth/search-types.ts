/**
 * The search-type table of Bandwidth's official numbers spec (GetAvailableTns, copied in
 * test/fixtures/carrier-specs/bandwidth-available-numbers.openapi.yaml): for each kind of search, the parameters
 * it requires, the ones it combines with, and the optional ones. A query is accepted when one row admits every
 * parameter it holds; anything else is an unsupported combination (`LCA` with an `areaCode` search, for example).
 */
interface SearchType {
  name: string;
  required: readonly string[];
  /** `areaCode/npaNxx/npaNxxx` in the table: at most one of them. */
  combinational: readonly string[];
  optional: readonly string[];
}

const PREFIX_KEYS = ['areaCode', 'npaNxx', 'npaNxxx'];

export const SEARCH_TYPES: readonly SearchType[] = [
  { name: 'Area Code', required: ['areaCode'], combinational: ['rateCenter', 'city', 'state', 'lata', 'zip'], optional: ['quantity', 'enableTNDetail', 'protected'] },
  { name: 'NPA-NXX', required: ['npaNxx'], combinational: ['rateCenter', 'city', 'state', 'lata', 'zip', 'orderBy'], optional: ['quantity', 'enableTNDetail', 'protected'] },
  { name: 'NPA-NXX with Local Calling Area', required: ['npaNxx'], combinational: [], optional: ['quantity', 'LCA', 'enableTNDetail', 'protected'] },
  { name: 'NPA-NXX-X', required: ['npaNxxx'], combinational: ['rateCenter', 'city', 'state', 'lata', 'zip', 'orderBy'], optional: ['quantity', 'enableTNDetail', 'protected'] },
  { name: 'NPA-NXX-X with Local Calling Area', required: ['npaNxxx'], combinational: ['rateCenter', 'city', 'state', 'lata', 'zip'], optional: ['quantity', 'LCA', 'enableTNDetail', 'protected'] },
  { name: 'RateCenter', required: ['rateCenter', 'state'], combinational: ['city', ...PREFIX_KEYS, 'lata', 'zip', 'orderBy'], optional: ['quantity', 'enableTNDetail', 'protected'] },
  { name: 'RateCenter with Local Calling Area', required: ['rateCenter', 'state'], combinational: [], optional: ['quantity', 'LCA', 'enableTNDetail', 'protected'] },
  { name: 'State', required: ['state'], combinational: ['rateCenter', 'city', ...PREFIX_KEYS, 'lata', 'zip'], optional: ['quantity', 'enableTNDetail', 'protected'] },
  { name: 'City', required: ['state', 'city'], combinational: ['rateCenter', 'state', ...PREFIX_KEYS, 'lata', 'zip', 'orderBy'], optional: ['quantity', 'enableTNDetail', 'protected'] },
  { name: 'Zip Code', required: ['zip'], combinational: ['rateCenter', 'city', 'state', ...PREFIX_KEYS, 'lata', 'orderBy'], optional: ['quantity', 'enableTNDetail', 'protected'] },
  { name: 'LATA', required: ['lata'], combinational: ['rateCenter', 'city', 'state', ...PREFIX_KEYS, 'zip'], optional: ['quantity', 'enableTNDetail', 'protected'] },
  // The table's "enableTNdetails" for this row is read as the parameter's real name.
  { name: 'Local Vanity', required: ['localVanity'], combinational: ['state', 'areaCode'], optional: ['endsIn', 'quantity', 'protected', 'enableTNDetail'] },
  { name: 'TollFree Vanity', required: ['tollFreeVanity'], combinational: ['orderBy'], optional: ['quantity'] },
  { name: 'TollFree WildCard', required: ['tollFreeWildCardPattern'], combinational: ['orderBy'], optional: ['quantity'] },
];

function admits(type: SearchType, present: ReadonlySet<string>): boolean {
  if (!type.required.every((k) => present.has(k))) return false;
  const allowed = new Set([...type.required, ...type.combinational, ...type.optional]);
  if (![...present].every((k) => allowed.has(k))) return false;
  // "rateCenter (state required), city (state required)".
  if ((present.has('rateCenter') || present.has('city')) && !present.has('state')) return false;
  // "areaCode/npaNxx/npaNxxx": one prefix key per search.
  return PREFIX_KEYS.filter((k) => present.has(k)).length <= 1;
}

/** The first search type that admits exactly these parameters, or undefined when no row does. */
export function searchTypeOf(parameters: Iterable<string>): SearchType | undefined {
  const present = new Set(parameters);
  return SEARCH_TYPES.find((t) => admits(t, present));
}
