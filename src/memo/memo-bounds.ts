/**
 * Every in-process memo of the service, with two bounds each: the one place these bounds are declared. Each memo
 * is a least-recently-used map (memo.ts) that drops what is used least once either bound is reached:
 * - MEMO_SHARES: its share of the memory budget (MEMORY_BUDGET_MB, memory-budget.ts), in bytes by estimate
 *   (size-estimate.ts). This is the bound that keeps the heap safe: entries differ in size by orders of magnitude
 *   (a place table holds megabytes, a usage window a few dozen bytes), so counting entries alone cannot.
 * - MEMO_BOUNDS: the most entries it may hold, which also bounds the map's own bookkeeping.
 */
export const MEMO_BOUNDS = {
  /** Serialised answers of whole searches, each kept until its least fresh carrier answer goes stale. */
  searchAnswers: 2000,
  /** Query DTOs the validation pipe already accepted: callers repeat a small set of searches. */
  validatedQueries: 1000,
  /**
   * Raw query strings of searches the full pipeline accepted, with their canonical key: what lets a repeated
   * search be answered from searchAnswers before Nest's pipeline runs (src/numbers/search-fast-path.ts).
   */
  acceptedSearches: 1000,
  /** Credential header values that authenticated, with their client (src/auth/authenticator.ts): few keys, few forms. */
  credentials: 1000,
  /** Carriers' answers, one per carrier and query, when no Redis is configured. */
  carrierAnswers: 10_000,
  /** Usage windows counted in process (without Redis, or while it is away): one per client (API key). */
  usageWindows: 10_000,
  /** Offers of numbers by carriers (src/offers), one per number a search returned, kept as long as its answer. */
  offers: 50_000,
  /**
   * Numbers held by orders (src/taken-numbers): unfinished orders and those completed in the last days. Past the
   * bound the oldest completed purchases are forgotten first; carriers stopped offering those long before.
   */
  takenNumbers: 200_000,
  /**
   * Geocoding tables of calling codes (src/places): one per country calling code searched. Entries are
   * large and unlike the others (+1 holds 2.3 MB of heap, +61 3.3 MB), so the bound is small.
   */
  placeTables: 12,
} as const;

export type MemoName = keyof typeof MEMO_BOUNDS;

/**
 * Each memo's share of the memory budget; together they make 1. Carriers' answers (trimmed to what a search can
 * return, at most 50 numbers each) and whole answers are what distinct searches fill, so they take most; the
 * place tables need room for the two large ones (+1 and +61, about 6 MB by estimate) at the default budget;
 * the memos of clients and orders are small per entry.
 */
export const MEMO_SHARES: Readonly<Record<MemoName, number>> = {
  searchAnswers: 0.21,
  validatedQueries: 0.02,
  acceptedSearches: 0.02,
  credentials: 0.01,
  carrierAnswers: 0.27,
  usageWindows: 0.03,
  offers: 0.1,
  takenNumbers: 0.04,
  placeTables: 0.3,
};
