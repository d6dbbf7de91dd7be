import { Memo } from '../memo/memo';
import type { AnswerStore, StoredAnswer } from './answer-store';

/**
 * The store used when no Redis is configured: the in-process memo of carriers' answers (its bound is in
 * src/memo/memo-bounds.ts), each entry expiring when the shared store's would.
 */
export class MemoryAnswerStore implements AnswerStore {
  readonly writable = true;
  private readonly entries: Memo<StoredAnswer>;

  /** `maxEntries` replaces the declared bound (tests use small ones). */
  constructor(maxEntries?: number) {
    this.entries = new Memo('carrierAnswers', maxEntries);
  }

  async get(key: string): Promise<StoredAnswer | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, answer: StoredAnswer, ttlSeconds: number): Promise<void> {
    this.entries.set(key, answer, Date.now() + ttlSeconds * 1000);
  }

  get size(): number {
    return this.entries.size;
  }
}
