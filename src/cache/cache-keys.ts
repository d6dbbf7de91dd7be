import { canonicalQuery } from '../domain/canonical-query';
import type { SearchQuery } from '../domain/search-query';
import { FORMAT_VERSION } from '../redis/key-format';

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

/** Where the release of every fill lock of a deployment is announced (each message names the lock key). */
export function fillChannel(prefix: string): string {
  return `${prefix}:${FORMAT_VERSION}:fill-released`;
}
