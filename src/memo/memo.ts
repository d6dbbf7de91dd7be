import { LRUCache } from 'lru-cache';
import { MEMO_BOUNDS, MEMO_SHARES, type MemoName } from './memo-bounds';
import { memoryBudgetBytes } from './memory-budget';
import { ENTRY_OVERHEAD_BYTES, estimateBytes } from './size-estimate';

export interface MemoOptions<V> {
  /** Most entries; the declared bound (memo-bounds.ts) when absent. */
  max?: number;
  /** Most bytes by estimate; the memo's share of the memory budget when absent. */
  maxBytes?: number;
  /** What one value weighs, in bytes; a generic estimate of its shape (size-estimate.ts) when absent. */
  sizeOf?: (value: V) => number;
}

/** Every memo alive, so their weights can be reported (memoBytes) without each owner wiring a metric. */
const live = new Set<WeakRef<{ readonly name: MemoName; readonly bytes: number }>>();

/**
 * A bounded in-process map: at most its bound's entries and its share of the memory budget in bytes
 * (memo-bounds.ts), the least recently used dropped first, and an entry given an expiry forgotten once it passes.
 * A value heavier than the whole share is not kept at all. Every in-process memo of the service is one of these,
 * so their bounds are all declared, and can all be changed, in one place.
 */
export class Memo<V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<string, V>;
  /** Most bytes this memo holds. */
  readonly maxBytes: number;

  /** A number replaces the declared entry bound (tests use small ones); options replace any bound. */
  constructor(
    readonly name: MemoName,
    options: number | MemoOptions<V> = {},
  ) {
    const o: MemoOptions<V> = typeof options === 'number' ? { max: options } : options;
    this.maxBytes = Math.max(1, Math.floor(o.maxBytes ?? memoryBudgetBytes() * MEMO_SHARES[name]));
    const sizeOf = o.sizeOf ?? estimateBytes;
    this.entries = new LRUCache<string, V>({
      max: o.max ?? MEMO_BOUNDS[name],
      maxSize: this.maxBytes,
      // Never 0 or less (lru-cache refuses it); the key is a string held by the map too.
      sizeCalculation: (value, key) => Math.max(1, Math.ceil(sizeOf(value)) + 16 + 2 * key.length + ENTRY_OVERHEAD_BYTES),
    });
    live.add(new WeakRef(this));
  }

  /** The value, unless it is absent or expired (an expired entry is dropped on the way). */
  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /**
   * Keeps a value, until `expiresAt` (Date.now() milliseconds) when given. A value that would already be
   * expired, or that is heavier than the memo's whole share, is not kept, and returns false.
   */
  set(key: string, value: V, expiresAt?: number): boolean {
    let ttl: number | undefined;
    if (expiresAt !== undefined) {
      ttl = Math.ceil(expiresAt - Date.now());
      if (ttl <= 0) return false;
    }
    const status: LRUCache.Status<string, V> = {};
    this.entries.set(key, value, ttl === undefined ? { status } : { ttl, status });
    // lru-cache refuses an entry larger than maxSize (status.maxEntrySizeExceeded) and drops an older one under the key.
    return status.maxEntrySizeExceeded !== true;
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

  /** Bytes held, by estimate (never more than maxBytes). */
  get bytes(): number {
    return this.entries.calculatedSize;
  }
}

/** Bytes held by estimate per memo name, summed over every live memo of that name (for the metrics). */
export function memoBytes(): Record<MemoName, number> {
  const out = Object.fromEntries(Object.keys(MEMO_BOUNDS).map((n) => [n, 0])) as Record<MemoName, number>;
  for (const ref of live) {
    const memo = ref.deref();
    if (memo === undefined) live.delete(ref);
    else out[memo.name] += memo.bytes;
  }
  return out;
}
