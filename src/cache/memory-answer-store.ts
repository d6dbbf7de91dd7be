import type { AnswerStore, StoredAnswer } from './answer-store';

/** Most answers kept in process; the oldest written is dropped first. */
export const MEMORY_CACHE_ENTRIES = 10_000;

/** The in-process store used when no Redis is configured: a bounded map with expiry. */
export class MemoryAnswerStore implements AnswerStore {
  readonly shared = false;
  private readonly entries = new Map<string, { answer: StoredAnswer; expires: number }>();

  constructor(private readonly maxEntries = MEMORY_CACHE_ENTRIES) {}

  async get(key: string): Promise<StoredAnswer | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
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

  // In one process, single flight already coalesces identical calls: no lock needed.
  async tryLock(): Promise<boolean> {
    return true;
  }

  async unlock(): Promise<void> {}
}
