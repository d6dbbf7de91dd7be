import type { UsageCount } from './usage-counter';

/** Where a client stands in its window after one more request was counted. */
export interface WindowStanding {
  /** X-RateLimit-Limit, -Remaining and -Reset, sent with every answer while a limit is set. */
  headers: Record<string, string>;
  /** Seconds until the window ends (at least 1): the Retry-After of a refusal. */
  resetSeconds: number;
  /** The request is past the limit: it is refused with a 402. */
  exceeded: boolean;
}

/** The rate-limit headers and verdict of a count, the same for searches and orders. */
export function windowStanding(limit: number, { count, resetMs }: UsageCount): WindowStanding {
  const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
  return {
    headers: {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - count)),
      'x-ratelimit-reset': String(resetSeconds),
    },
    resetSeconds,
    exceeded: count > limit,
  };
}
