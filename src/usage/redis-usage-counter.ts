import type { RedisService } from '../cache/redis.service';
import { usageKey } from '../cache/cache-keys';
import type { UsageCount, UsageCounter } from './usage-counter';

/**
 * One round trip, atomic across every instance: increment, start the window on the first request, read
 * what is left of it. A fixed window that opens with the client's first request.
 */
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

export class RedisUsageCounter implements UsageCounter {
  constructor(
    private readonly redis: RedisService,
    private readonly prefix: string,
    private readonly fallback: UsageCounter,
  ) {
    redis.client?.defineCommand('ngUsageIncrement', { numberOfKeys: 1, lua: INCREMENT });
  }

  async increment(client: string, windowMs: number): Promise<UsageCount> {
    const redis = this.redis.client as unknown as { ngUsageIncrement(key: string, windowMs: number): Promise<[number, number]> } | undefined;
    if (!redis || !this.redis.available) return this.fallback.increment(client, windowMs);
    try {
      const [count, ttl] = await redis.ngUsageIncrement(usageKey(this.prefix, client), windowMs);
      return { count: Number(count), resetMs: Number(ttl) };
    } catch {
      // Redis failed mid-way: count in process rather than refuse or fail the search.
      return this.fallback.increment(client, windowMs);
    }
  }
}
