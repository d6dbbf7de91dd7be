import type { ProviderNumber } from '../providers/provider.interface';

/** A carrier's answer as stored: when it was fetched, and the numbers. */
export interface StoredAnswer {
  /** Date.now() when the carrier answered. */
  at: number;
  numbers: ProviderNumber[];
}

/**
 * Where carriers' answers are kept between searches. Every method fails soft: a store that cannot be
 * reached behaves as an empty one (reads miss, writes and locks do nothing), so no search fails on it.
 */
export interface AnswerStore {
  /** Whether other instances share this store (and so its locks mean something). */
  readonly shared: boolean;
  get(key: string): Promise<StoredAnswer | undefined | 'error'>;
  set(key: string, answer: StoredAnswer, ttlSeconds: number): Promise<void>;
  /** Takes the fill lock for `ms`; false if another holder has it (or the store is unreachable). */
  tryLock(key: string, ms: number): Promise<boolean>;
  unlock(key: string): Promise<void>;
}

/** Compact JSON: short keys, no whitespace. */
export function encodeAnswer(answer: StoredAnswer): string {
  return JSON.stringify({ a: answer.at, n: answer.numbers });
}

export function decodeAnswer(raw: string): StoredAnswer | undefined {
  try {
    const v = JSON.parse(raw) as { a?: unknown; n?: unknown };
    if (typeof v.a !== 'number' || !Array.isArray(v.n)) return undefined;
    return { at: v.a, numbers: v.n as ProviderNumber[] };
  } catch {
    return undefined;
  }
}
