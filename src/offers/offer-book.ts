/**
 * Which carriers offered which number in a recent search, remembered for as long as the cache keeps the answer
 * that offered it: an order buys a number from a carrier that offered it, never from one that did not. Shared
 * by every instance through Redis when it is configured, in process otherwise.
 */
export interface OfferBook {
  /** Remembers that each number (E.164) was offered by these carriers, from now on for the book's lifetime. */
  record(offers: ReadonlyMap<string, readonly string[]>): Promise<void>;
  /** The carriers with a live offer of this number, in no particular order (none: no recent search offered it). */
  offeredBy(phoneNumber: string): Promise<string[]>;
}

/** The injection token of the book the offers module chose. */
export const OFFER_BOOK = Symbol('OFFER_BOOK');

/** An offer outlives the cached answer by no more than this floor, so that searching with CACHE_TTL_SECONDS=0 can still be followed by an order. */
export const MIN_OFFER_SECONDS = 60;

/** How long an offer lasts: as long as the cache keeps the answer that made it, and at least MIN_OFFER_SECONDS. */
export function offerLifetimeSeconds(cache: { ttlSeconds: number; staleSeconds: number }): number {
  return Math.max(MIN_OFFER_SECONDS, cache.ttlSeconds + cache.staleSeconds);
}
