import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/redis.config';

export type RedisClient = Redis | Cluster;

/**
 * Options that keep Redis from ever holding a search up: commands fail at once while disconnected (no
 * offline queue) and after a short timeout when Redis is slow; reconnection goes on in the background
 * forever. Commands issued in the same tick share one round trip (auto-pipelining).
 */
const COMMON: RedisOptions = {
  connectTimeout: 1000,
  commandTimeout: 250,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  enableAutoPipelining: true,
  retryStrategy: (times) => Math.min(100 * times, 2000),
  reconnectOnError: () => false,
  // A closing socket that has not closed by then is destroyed (ioredis waits 2 s), so shutdown is not held.
  disconnectTimeout: 200,
};

export function createRedisClient(config: RedisConfig): RedisClient {
  switch (config.mode) {
    case 'single':
      return new Redis(config.url, COMMON);
    case 'sentinel':
      return new Redis({ ...COMMON, sentinels: config.sentinels, name: config.name });
    case 'cluster':
      return new Cluster(config.nodes, {
        redisOptions: COMMON,
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
        slotsRefreshTimeout: 1000,
      });
    default: {
      const never: never = config;
      return never;
    }
  }
}
