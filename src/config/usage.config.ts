import type { ConfigProblems, Env } from './env';
import { readInt } from './parsers';

/** What a search (or an order) meets when its client's count cannot be checked in Redis. */
export type UsageOnRedisError = 'open' | 'closed';

export interface UsageConfig {
  /** USAGE_LIMIT_REQUESTS: searches per client per window; 0 = unlimited. */
  limit: number;
  /** USAGE_LIMIT_WINDOW_SECONDS. */
  windowSeconds: number;
  /**
   * USAGE_LIMIT_ON_REDIS_ERROR: `open` counts in process while Redis is unavailable (the limit then holds
   * per instance); `closed` refuses what cannot be counted (503 usage_unavailable). Without Redis
   * configured, counting in process is the normal mode and nothing is refused.
   */
  onRedisError: UsageOnRedisError;
}

const MODES: readonly UsageOnRedisError[] = ['open', 'closed'];

export function readUsageConfig(env: Env, problems: ConfigProblems): UsageConfig {
  const raw = (env.USAGE_LIMIT_ON_REDIS_ERROR ?? '').trim();
  let onRedisError: UsageOnRedisError = 'open';
  if (raw !== '') {
    const value = raw.toLowerCase();
    if ((MODES as readonly string[]).includes(value)) onRedisError = value as UsageOnRedisError;
    else problems.add('USAGE_LIMIT_ON_REDIS_ERROR', `must be open or closed, got "${raw.slice(0, 40)}"`, 'USAGE_LIMIT_ON_REDIS_ERROR=closed');
  }
  return {
    limit: readInt(env, problems, 'USAGE_LIMIT_REQUESTS', 0, 0, 1_000_000_000, '1000'),
    windowSeconds: readInt(env, problems, 'USAGE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400 * 31, '60'),
    onRedisError,
  };
}
