import type { CachedCarrier } from '../cache/answer-cache';

/**
 * An enabled carrier as a search sees it: asked through the answer cache (with its policies behind), in
 * priority order. The composition (src/app) builds the list; the numbers feature only reads it.
 */
export interface SearchCarrier extends CachedCarrier {
  /** The environment variables holding its credentials, named in the fix when they are rejected. */
  readonly credentialVariables: readonly string[];
}

/** The injection token of the enabled carriers (SearchCarrier[], highest priority first). */
export const SEARCH_CARRIERS = Symbol('SEARCH_CARRIERS');
