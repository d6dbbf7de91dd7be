import type { ProviderNumber, SearchContext } from '../domain/number-provider';
import type { RegisteredProvider } from '../providers/providers.module';
import type { SearchQuery } from '../domain/search-query';

/** Where one carrier's answer came from (the X-Cache header sums them up). */
export type CacheStatus = 'HIT' | 'MISS' | 'STALE';

export interface CallOptions {
  /** The caller sent Cache-Control: no-cache: ask the carrier, then store its answer. */
  bypassCache: boolean;
  /**
   * Resolves to whether the usage limit admitted this search. The cache is read while the usage count is
   * in flight (one Redis round trip for both), but no carrier is asked before it resolves to true.
   */
  admission?: Promise<boolean>;
}

export interface CallResult {
  numbers: ProviderNumber[];
  cache: CacheStatus;
  /**
   * Until when this answer is fresh (Date.now() milliseconds), when the caller knows; the numbers service
   * memoises a search's serialised answer no longer than its least fresh carrier answer.
   */
  freshUntil?: number;
}

/**
 * How the fan-out obtains one carrier's answer: the cache (src/cache/caching-provider-caller.ts) in front
 * of the carrier's adapter and its policies, without the fan-out knowing.
 */
export interface ProviderCaller {
  call(provider: RegisteredProvider, query: SearchQuery, ctx: SearchContext, options: CallOptions): Promise<CallResult>;
}

export const PROVIDER_CALLER = Symbol('PROVIDER_CALLER');
