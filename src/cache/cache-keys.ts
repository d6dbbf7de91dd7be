import type { SearchQuery } from '../numbers/search-query';

/**
 * Bumped whenever the stored format changes (answer-store.ts), so an old entry is never read as a new one:
 * every key is `<REDIS_KEY_PREFIX>:<version>:...`.
 */
export const FORMAT_VERSION = 'v1';

/**
 * The canonical form of a query: upper-case country, number type, area code, sorted features, limit (the
 * adapters send type and limit to the carrier, so they shape its answer). Spellings of one search
 * (`features=voice,sms` and `SMS,voice`, `us` and `US`) share one form. The braces are a Redis Cluster
 * hash tag: every carrier's entry and fill lock for one query live on one slot.
 */
export function canonicalQuery(query: SearchQuery): string {
  const features = [...new Set(query.features.map((f) => f.toLowerCase()))].sort().join(',');
  return `{${query.countryCode.toUpperCase()}:${query.phoneNumberType}:${query.areaCode ?? ''}:${features}:${query.limit}}`;
}

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
