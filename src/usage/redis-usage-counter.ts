import type { RedisService } from '../redis/redis.service';
import { inRedisSpan } from '../tracing/redis-spans';
import { usageKey, type UsageScope } from './usage-key';
import type { UsageCount, UsageCounter } from './usage-counter';
import { usageUnavailable } from './usage-unavailable';

/**
 * One round trip, atomic across every instance (a script runs alone on its Redis): count the request,
 * start the window with the client's first request, and read what is left of it. A fixed window; its one
 * key carries a hash tag, so the script is valid on Redis Cluster. The PTTL guard repairs a key that lost
 * its expiry (restored from a dump, say), which would otherwise count forever.
 */
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

type WithIncrement = { ngUsageIncrement(key: string, windowMs: number): Promise<[number, number]> };

/**
 * What to do while Redis cannot count (USAGE_LIMIT_ON_REDIS_ERROR): count in process (`open`), or refuse
 * with 503 usage_unavailable (`closed`). `onUnavailable` is told each time, with the action taken (metrics).
 */
export interface WhileUnavailable {
  fallback: UsageCounter | 'refuse';
  onUnavailable(scope: UsageScope, action: 'counted_in_process' | 'refused'): void;
}

/** Shared counts in Redis; while Redis is unavailable, the in-process fallback counts instead, or the request is refused. */
export class RedisUsageCounter implements UsageCounter {
  private readonly whileUnavailable: WhileUnavailable;

  /** `whileUnavailable` may be a counter alone: it counts while Redis is away, and nothing is told. */
  constructor(
    private readonly redis: RedisService,
    private readonly prefix: string,
    whileUnavailable: WhileUnavailable | UsageCounter,
  ) {
    this.whileUnavailable = 'increment' in whileUnavailable ? { fallback: whileUnavailable, onUnavailable: () => undefined } : whileUnavailable;
    // defineCommand sends EVALSHA, and the script itself only when Redis does not know it yet.
    redis.client?.defineCommand('ngUsageIncrement', { numberOfKeys: 1, lua: INCREMENT });
  }

  async increment(client: string, windowMs: number, scope: UsageScope = 'searches'): Promise<UsageCount> {
    const redis = this.redis.client as unknown as WithIncrement | undefined;
    if (!redis || !this.redis.available) return this.unavailable(client, windowMs, scope);
    try {
      const key = usageKey(this.prefix, client, scope);
      const [count, ttl] = await inRedisSpan('EVALSHA usage increment', 'EVALSHA', key, () => redis.ngUsageIncrement(key, windowMs));
      return { count: Number(count), resetMs: Number(ttl) };
    } catch (e) {
      // Redis failed mid-way (an error, or no answer within the command timeout): as when it is down.
      this.redis.commandFailed(e);
      return this.unavailable(client, windowMs, scope);
    }
  }

  private unavailable(client: string, windowMs: number, scope: UsageScope): Promise<UsageCount> {
    const { fallback, onUnavailable } = this.whileUnavailable;
    if (fallback === 'refuse') {
      onUnavailable(scope, 'refused');
      throw usageUnavailable(client, scope);
    }
    onUnavailable(scope, 'counted_in_process');
    return fallback.increment(client, windowMs, scope);
  }
}
