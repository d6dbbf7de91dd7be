/** Deterministic pseudo-randomness: the same seed always yields the same inventory. */
export function hashString(s: string): number {
  // FNV-1a, 32 bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for test data. */
export function createRandom(seed: number | string): () => number {
  let a = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable value in [0, 1) for a key: used to decide which carrier holds which number. */
export function unitHash(key: string): number {
  return hashString(key) / 4294967296;
}

const shuffled = new WeakMap<readonly object[], readonly object[]>();

/**
 * A carrier's inventory in a stable shuffled order (search results come in no particular order),
 * computed once per inventory rather than on every request.
 */
export function inShuffledOrder<T extends { e164: string }>(inventory: readonly T[]): readonly T[] {
  let order = shuffled.get(inventory) as readonly T[] | undefined;
  if (!order) {
    order = inventory
      .map((n) => ({ n, key: unitHash(n.e164) }))
      .sort((a, b) => a.key - b.key)
      .map((k) => k.n);
    shuffled.set(inventory, order);
  }
  return order;
}
