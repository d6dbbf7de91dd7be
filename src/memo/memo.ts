import { LRUCache } from 'lru-cache';
import { MEMO_BOUNDS, type MemoName } from './memo-bounds';

/**
 * A bounded in-process map: at most its bound's entries (memo-bounds.ts), the least recently used dropped
 * first, and an entry given an expiry forgotten once it passes. Every in-process memo of the service is
 * one of these, so their bounds are all declared, and can all be changed, in one place.
 */
export class Memo<V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<string, V>;

  /** `max` replaces the declared bound (tests use small ones). */
  constructor(
    readonly name: MemoName,
    max: number = MEMO_BOUNDS[name],
  ) {
    this.entries = new LRUCache<string, V>({ max });
  }

  /** The value, unless it is absent or expired (an expired entry is dropped on the way). */
  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /**
   * Keeps a value, until `expiresAt` (Date.now() milliseconds) when given. A value that would already be
   * expired is not kept, and returns false.
   */
  set(key: string, value: V, expiresAt?: number): boolean {
    if (expiresAt === undefined) {
      this.entries.set(key, value);
      return true;
    }
    const ttl = Math.ceil(expiresAt - Date.now());
    if (ttl <= 0) return false;
    this.entries.set(key, value, { ttl });
    return true;
  }

  /** The value, like get(), without counting as a use: what is least recently used stays so. */
  peek(key: string): V | undefined {
    return this.entries.peek(key);
  }

  /** The keys held, least recently used first (the next to be dropped first). */
  keys(): string[] {
    return [...this.entries.rkeys()];
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
