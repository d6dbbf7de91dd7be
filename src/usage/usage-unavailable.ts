import { AppError } from '../errors/app-error';
import type { UsageScope } from './usage-key';

/**
 * How long a refused caller is asked to wait: Redis is probed every half second once a command fails
 * (src/redis/redis.service.ts), so a few seconds cover a restart or a failover without a retry storm.
 */
export const USAGE_UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * The 503 of USAGE_LIMIT_ON_REDIS_ERROR=closed: the client's count lives in Redis, Redis cannot be asked,
 * and letting the request through uncounted would let every instance grant the whole limit again.
 */
export function usageUnavailable(client: string, scope: UsageScope): AppError {
  const what = scope === 'orders' ? 'orders' : 'searches';
  return new AppError(
    'usage_unavailable',
    `The ${what} of client "${client}" cannot be counted now (the shared usage store is unavailable), and this service refuses ${what} it cannot count.`,
    {
      fix: `Retry after ${USAGE_UNAVAILABLE_RETRY_SECONDS} seconds. If it lasts, the operators should check the service's Redis (GET /health/ready reports it); USAGE_LIMIT_ON_REDIS_ERROR=open would count in each instance instead.`,
    },
    { 'retry-after': String(USAGE_UNAVAILABLE_RETRY_SECONDS) },
  );
}
