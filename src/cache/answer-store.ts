import type { ProviderNumber } from '../domain/number-provider';

/** A carrier's answer as stored: when it was fetched, and the numbers. */
export interface StoredAnswer {
  /** Date.now() when the carrier answered (decides fresh or stale, independently of the store's expiry). */
  at: number;
  numbers: ProviderNumber[];
}

/**
 * Where carriers' answers are kept between searches (the numbers cache repository). Every method fails
 * soft: a store that cannot be reached answers 'unavailable' to reads and ignores writes, so no search
 * fails on it.
 */
export interface AnswerStore {
  /** Whether a write now is expected to be kept (false while Redis is unavailable). */
  readonly writable: boolean;
  get(key: string): Promise<StoredAnswer | undefined | 'unavailable'>;
  set(key: string, answer: StoredAnswer, ttlSeconds: number): Promise<void>;
}

/**
 * The most bytes one stored answer may take, serialised (encodeAnswer). Answers are trimmed to what a search can
 * use before they are stored (at most 50 numbers, text fields capped: about 20 KB at worst), so only an answer
 * that escaped trimming can be larger; it is not stored (the search still gets it), so no carrier can grow the
 * shared store's entries.
 */
export const MAX_STORED_ANSWER_BYTES = 64 * 1024;

/** The injection token of the store the cache module chose (Redis when configured, else in process). */
export const ANSWER_STORE = Symbol('ANSWER_STORE');

/**
 * Compact JSON: one-letter fields, no whitespace. The key carries the format version (cache-keys.ts), so
 * this shape can change with a version bump and an old entry is never read as a new one.
 */
export function encodeAnswer(answer: StoredAnswer): string {
  return JSON.stringify({ a: answer.at, n: answer.numbers });
}

/** Undefined (a miss) for anything that is not an answer of this format. */
export function decodeAnswer(raw: string): StoredAnswer | undefined {
  try {
    const v = JSON.parse(raw) as { a?: unknown; n?: unknown };
    if (typeof v !== 'object' || v === null || typeof v.a !== 'number' || !Array.isArray(v.n)) return undefined;
    return { at: v.a, numbers: v.n as ProviderNumber[] };
  } catch {
    return undefined;
  }
}
