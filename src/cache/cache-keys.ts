import type { SearchQuery } from '../numbers/search-query';

/** Bumped whenever the stored format changes, so an old entry is never read as a new one. */
export const FORMAT_VERSION = 'v1';

/**
 * The canonical form of a query: upper-case country, sorted features, area code, type, limit. The part in
 * braces is a Redis Cluster hash tag: every carrier's entry for one query lives on one slot.
 */
export function canonicalQuery(query: SearchQuery): string {
  const features = [...query.features].sort().join(',');
  return `{${query.countryCode.toUpperCase()}:${query.phoneNumberType}:${query.areaCode ?? ''}:${features}:${query.limit}}`;
}

/** One carrier's answer to one query. */
export function answerKey(prefix: string, query: SearchQuery, provider: string): string {
  return `${prefix}:${FORMAT_VERSION}:answer:${canonicalQuery(query)}:${provider}`;
}

/** The short lock whose holder fills that answer while other instances wait for it. */
export function fillLockKey(prefix: string, query: SearchQuery, provider: string): string {
  return `${prefix}:${FORMAT_VERSION}:fill:${canonicalQuery(query)}:${provider}`;
}

/** A client's request count in its current usage window (hash tag: one slot per client). */
export function usageKey(prefix: string, client: string): string {
  return `${prefix}:${FORMAT_VERSION}:usage:{${client}}`;
}
