import type { RedisService } from '../redis/redis.service';
import { FORMAT_VERSION } from '../redis/key-format';
import type { MemoryOfferBook } from './memory-offer-book';
import type { OfferBook } from './offer-book';

/**
 * One hash per number, one field per carrier holding when its offer ends (epoch ms), so a carrier's offer ends
 * on its own even when another carrier offers the number again later. The key expires with its latest offer;
 * the script only ever lengthens that expiry. One key per script: valid on Redis Cluster.
 */
const RECORD = `
local ends, ttl = ARGV[#ARGV - 1], tonumber(ARGV[#ARGV])
for i = 1, #ARGV - 2, 1 do redis.call('HSET', KEYS[1], ARGV[i], ends) end
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

type WithRecord = { ngOfferRecord(key: string, ...args: string[]): Promise<number> };

/** The number's offers (hash tag: one slot per number). */
export function offerKey(prefix: string, phoneNumber: string): string {
  return `${prefix}:${FORMAT_VERSION}:offer:{${phoneNumber}}`;
}

/**
 * Offers in Redis, seen by every instance. Every offer is also kept in process, which answers while Redis is
 * unavailable: orders then work for numbers this instance offered, as the cache does for its own answers.
 */
export class RedisOfferBook implements OfferBook {
  constructor(
    private readonly redis: RedisService,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly fallback: MemoryOfferBook,
  ) {
    redis.client?.defineCommand('ngOfferRecord', { numberOfKeys: 1, lua: RECORD });
  }

  async record(offers: ReadonlyMap<string, readonly string[]>): Promise<void> {
    this.fallback.recordNow(offers);
    const client = this.redis.client;
    if (!client || !this.redis.available || offers.size === 0) return;
    const until = String(Date.now() + this.ttlMs);
    const pipeline = client.pipeline() as unknown as WithRecord & { exec(): Promise<[Error | null, unknown][] | null> };
    for (const [number, providers] of offers) void pipeline.ngOfferRecord(offerKey(this.prefix, number), ...providers, until, String(this.ttlMs));
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([e]) => e !== null);
      if (failed) this.redis.commandFailed(failed[0]);
    } catch (e) {
      this.redis.commandFailed(e);
    }
  }

  async offeredBy(phoneNumber: string): Promise<string[]> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return this.fallback.offeredBy(phoneNumber);
    try {
      const fields = await client.hgetall(offerKey(this.prefix, phoneNumber));
      const now = Date.now();
      const live = Object.entries(fields).filter(([, until]) => Number(until) > now).map(([p]) => p);
      // What this instance offered while Redis was away counts too.
      return [...new Set([...live, ...(await this.fallback.offeredBy(phoneNumber))])];
    } catch (e) {
      this.redis.commandFailed(e);
      return this.fallback.offeredBy(phoneNumber);
    }
  }
}
