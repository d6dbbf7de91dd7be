import type { ConfigProblems, Env } from './env';

/**
 * REDIS_KEY_PREFIX (default `ng`): the first part of every Redis key, so several deployments (or test
 * runs) can share one Redis without reading each other's entries.
 */
export function readRedisKeyPrefix(env: Env, problems: ConfigProblems): string {
  const raw = (env.REDIS_KEY_PREFIX ?? '').trim();
  if (raw === '') return 'ng';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(raw)) {
    problems.add('REDIS_KEY_PREFIX', `must be 1 to 64 letters, digits, dots, dashes or underscores, got "${raw.slice(0, 70)}"`, 'REDIS_KEY_PREFIX=ng');
    return 'ng';
  }
  return raw;
}
