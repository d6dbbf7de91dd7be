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
  const { username, password, sentinelPassword, tls } = config.security;
  // The same credentials and TLS on every connection ioredis opens: to the server, to each cluster node it
  // discovers, to the master and replicas a sentinel names.
  const connection: RedisOptions = {
    ...COMMON,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(tls && { tls: { ...tls } }),
  };
  switch (config.mode) {
    case 'single':
      return new Redis(config.url, connection);
    case 'sentinel':
      return new Redis({
        ...connection,
        sentinels: config.sentinels,
        name: config.name,
        ...(sentinelPassword !== undefined && { sentinelPassword }),
        // TLS to the sentinels as well as to the master they name.
        ...(tls && { sentinelTLS: { ...tls }, enableTLSForSentinelMode: true }),
      });
    case 'cluster':
      return new Cluster(config.nodes, {
        redisOptions: connection,
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
