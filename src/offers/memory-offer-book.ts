import { Memo } from '../memo/memo';
import type { OfferBook } from './offer-book';

/**
 * Offers kept in this process: the book without Redis, and what Redis-backed books fall back to while Redis is
 * away. Per number, each carrier's offer with its own end (epoch ms); the entries are bounded in memo-bounds.ts.
 */
export class MemoryOfferBook implements OfferBook {
  private readonly offers = new Memo<Record<string, number>>('offers');

  constructor(private readonly ttlMs: number) {}

  async record(offers: ReadonlyMap<string, readonly string[]>): Promise<void> {
    this.recordNow(offers);
  }

  recordNow(offers: ReadonlyMap<string, readonly string[]>): void {
    const until = Date.now() + this.ttlMs;
    for (const [number, providers] of offers) {
      const entry = { ...this.live(number) };
      for (const p of providers) entry[p] = until;
      this.offers.set(number, entry, until);
    }
  }

  async offeredBy(phoneNumber: string): Promise<string[]> {
    return Object.keys(this.live(phoneNumber));
  }

  private live(number: string): Record<string, number> {
    const now = Date.now();
    return Object.fromEntries(Object.entries(this.offers.get(number) ?? {}).filter(([, until]) => until > now));
  }
}
