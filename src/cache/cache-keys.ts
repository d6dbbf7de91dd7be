import { canonicalQuery } from '../domain/canonical-query';
import type { SearchQuery } from '../domain/search-query';

/**
 * Bumped whenever the stored format changes (answer-store.ts), so an old entry is never read as a new one:
 * every key is `<REDIS_KEY_PREFIX>:<version>:...`.
 */
export const FORMAT_VERSION = 'v1';

/**
 * One carrier's answer to one query. Keyed per carrier, so enabling a carrier never serves a merge made
 * without it (its entry is simply missing), and one carrier's failure does not stop the others' answers
 * from being cached.
 */
export function answerKey(prefix: string, query: SearchQuery, provider: string): string {
  return `${prefix}:${FORMAT_VERSION}:answer:${canonicalQuery(query)}:${provider}`;
}

/** The short lock whose holder fills that answer while other instances wait for it. */
export function fillLockKey(prefix: string, query: SearchQuery, provider: string): string {
  return `${prefix}:${FORMAT_VERSION}:fill:${canonicalQuery(query)}:${provider}`;
}

/** A client's request count in its current usage window (hash tag: the script's one key, one slot). */
export function usageKey(prefix: string, client: string): string {
  return `${prefix}:${FORMAT_VERSION}:usage:{${client}}`;
}
