import type { AnswerStore, StoredAnswer } from './answer-store';

/** Most answers kept in process (one per carrier and query); the least recently used goes first. */
export const MEMORY_CACHE_ENTRIES = 10_000;

/**
 * The store used when no Redis is configured: a bounded LRU map with expiry. A Map iterates in insertion
 * order, so re-inserting an entry on every read keeps the least recently used one first in line.
 */
export class MemoryAnswerStore implements AnswerStore {
  readonly writable = true;
  private readonly entries = new Map<string, { answer: StoredAnswer; expires: number }>();

  constructor(private readonly maxEntries = MEMORY_CACHE_ENTRIES) {}

  async get(key: string): Promise<StoredAnswer | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (e.expires <= Date.now()) return undefined;
    this.entries.set(key, e);
    return e.answer;
  }

  async set(key: string, answer: StoredAnswer, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { answer, expires: Date.now() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
