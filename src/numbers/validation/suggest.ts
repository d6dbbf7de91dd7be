/** Names callers commonly use for our parameters (other carriers' APIs, snake case, old clients). */
const ALIASES: Readonly<Record<string, string>> = {
  country: 'countryCode',
  countryiso: 'countryCode',
  iso: 'countryCode',
  region: 'countryCode',
  regioncode: 'countryCode',
  area: 'areaCode',
  npa: 'areaCode',
  ndc: 'areaCode',
  nationaldestinationcode: 'areaCode',
  prefix: 'areaCode',
  feature: 'features',
  capabilities: 'features',
  capability: 'features',
  services: 'features',
  type: 'phoneNumberType',
  numbertype: 'phoneNumberType',
  phonetype: 'phoneNumberType',
  size: 'limit',
  pagesize: 'limit',
  max: 'limit',
  maxresults: 'limit',
  count: 'limit',
  quantity: 'limit',
};

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Levenshtein distance, bounded work for the short strings it is used on. */
export function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The candidate within two edits of the input (case and punctuation ignored), if any. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const s = squash(input);
  if (s === '') return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(s, squash(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** What an unknown parameter name was probably meant to be. */
export function suggestParameter(name: string, known: readonly string[]): string | undefined {
  const s = squash(name);
  // Own entries only: "constructor" must not find Object.prototype.constructor.
  const alias = Object.hasOwn(ALIASES, s) ? ALIASES[s] : undefined;
  return alias !== undefined && known.includes(alias) ? alias : closest(name, known);
}
