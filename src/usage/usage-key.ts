import { FORMAT_VERSION } from '../redis/key-format';

/** What a count is of: searches (USAGE_LIMIT_*) or orders (ORDER_LIMIT_*), each client counted apart for each. */
export type UsageScope = 'searches' | 'orders';

/** A client's request count in its current window (hash tag: the script's one key, one slot). */
export function usageKey(prefix: string, client: string, scope: UsageScope = 'searches'): string {
  return scope === 'searches' ? `${prefix}:${FORMAT_VERSION}:usage:{${client}}` : `${prefix}:${FORMAT_VERSION}:usage-${scope}:{${client}}`;
}
