/**
 * Every in-process memo of the service and the most entries each may hold: the one place these bounds are
 * declared. Each memo is a least-recently-used map (memo.ts), so a full memo drops what is used least.
 * Counting entries is enough while entries are small and alike; bounding them all by bytes under one
 * memory budget would change this table and memo.ts only.
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
