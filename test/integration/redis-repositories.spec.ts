import Redis from 'ioredis';
import { encodeAnswer, MAX_STORED_ANSWER_BYTES } from '../../src/cache/answer-store';
import { answerKey, fillChannel, fillLockKey } from '../../src/cache/cache-keys';
import { usageKey } from '../../src/usage/usage-key';
import { RedisFillLock, type HeldLock } from '../../src/cache/fill-lock';
import { RedisAnswerStore } from '../../src/cache/redis-answer-store';
import type { RedisService } from '../../src/redis/redis.service';
import type { SearchQuery } from '../../src/domain/search-query';
import { RedisUsageCounter } from '../../src/usage/redis-usage-counter';
import { MemoryUsageCounter } from '../../src/usage/usage-counter';
import { deletePrefix, freePort, SHARED_REDIS_URL, startRedisService, uniquePrefix } from '../support/redis';

/**
 * The Redis repositories (answers, fill lock, usage counter) against the real Redis on 127.0.0.1:6379,
 * under a key prefix of this run, each through its own RedisService as two instances of the app would.
 */
const prefix = uniquePrefix('repos');
const services: RedisService[] = [];
let raw: Redis;

async function instance(env: Record<string, string> = {}): Promise<RedisService> {
  const { service } = await startRedisService({ REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix, ...env });
  services.push(service);
  return service;
}

const query: SearchQuery = { countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], phoneNumberType: 'local', limit: 10 };

beforeAll(() => {
  raw = new Redis(SHARED_REDIS_URL);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.onApplicationShutdown()));
  await deletePrefix(prefix);
  raw.disconnect();
});

describe('answer store', () => {
  it('stores compact JSON under the versioned key with the given expiry, and reads it back', async () => {
    const store = new RedisAnswerStore(await instance());
    const key = answerKey(prefix, query, 'telnyx');
    const answer = { at: 1_700_000_000_000, numbers: [{ phoneNumber: '+14155550100', features: ['sms' as const], locality: 'San Francisco' }] };
    await store.set(key, answer, 90);
    expect(key).toBe(`${prefix}:v1:answer:{US:local:415:sms,voice:10}:telnyx`);
    expect(await raw.get(key)).toBe('{"a":1700000000000,"n":[{"phoneNumber":"+14155550100","features":["sms"],"locality":"San Francisco"}]}');
    const ttl = await raw.ttl(key);
    expect(ttl).toBeGreaterThan(80);
    expect(ttl).toBeLessThanOrEqual(90);
    expect(await store.get(key)).toEqual(answer);
    expect(await store.get(answerKey(prefix, query, 'twilio'))).toBeUndefined();
  });

  it('reads an entry it cannot decode as a miss', async () => {
    const store = new RedisAnswerStore(await instance());
    const key = answerKey(prefix, { ...query, areaCode: '212' }, 'telnyx');
    for (const bad of ['not json', '{"numbers":[]}', '[1,2]', 'null']) {
      await raw.set(key, bad, 'EX', 60);
      expect(await store.get(key)).toBeUndefined();
    }
    await raw.set(key, encodeAnswer({ at: 5, numbers: [] }), 'EX', 60);
    expect(await store.get(key)).toEqual({ at: 5, numbers: [] });
  });

  it('does not store an answer larger than one entry may be, and says so; a smaller one under the key stays', async () => {
    const refused: [string, number][] = [];
    const store = new RedisAnswerStore(await instance(), (key, bytes) => refused.push([key, bytes]));
    const key = answerKey(prefix, { ...query, areaCode: '312' }, 'telnyx');
    const small = { at: 1, numbers: [{ phoneNumber: '+13125550100', features: [] }] };
    await store.set(key, small, 60);
    const numbers = Array.from({ length: 2000 }, (_, i) => ({ phoneNumber: `+1312555${String(i).padStart(4, '0')}`, locality: 'Chicago', features: ['sms' as const] }));
    const big = { at: 2, numbers };
    const size = encodeAnswer(big).length;
    expect(size).toBeGreaterThan(MAX_STORED_ANSWER_BYTES);
    await store.set(key, big, 60);
    expect(refused).toEqual([[key, size]]);
    expect(await store.get(key)).toEqual(small);
    expect((await raw.strlen(key)) ?? 0).toBeLessThanOrEqual(MAX_STORED_ANSWER_BYTES);
  });
});

describe('fill lock', () => {
  it('is held by one instance at a time, and only its holder releases it', async () => {
    const [a, b] = [new RedisFillLock(await instance(), fillChannel(prefix)), new RedisFillLock(await instance(), fillChannel(prefix))];
    const key = fillLockKey(prefix, query, 'telnyx');
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquire(key, 5000)));
    const held = outcomes.filter((o): o is HeldLock => typeof o === 'object');
    expect(held).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'held')).toHaveLength(19);
    expect(await b.isHeld(key)).toBe(true);
    await held[0].release();
    expect(await a.isHeld(key)).toBe(false);
  });

  it('expires by itself, and a late release does not free the next holder', async () => {
    const [a, b] = [new RedisFillLock(await instance(), fillChannel(prefix)), new RedisFillLock(await instance(), fillChannel(prefix))];
    const key = fillLockKey(prefix, query, 'twilio');
    const first = await a.acquire(key, 50);
    expect(typeof first).toBe('object');
    await new Promise((r) => setTimeout(r, 80));
    const second = await b.acquire(key, 5000);
    expect(typeof second).toBe('object');
    await (first as HeldLock).release();
    expect(await a.isHeld(key)).toBe(true);
    await (second as HeldLock).release();
    expect(await a.isHeld(key)).toBe(false);
  });
});

describe('usage counter', () => {
  it('counts exactly under concurrency across two instances, in one key with the window as expiry', async () => {
    const [a, b] = await Promise.all([instance(), instance()]);
    const counters = [a, b].map((s) => new RedisUsageCounter(s, prefix, new MemoryUsageCounter()));
    const counts = await Promise.all(Array.from({ length: 300 }, (_, i) => counters[i % 2].increment('billing', 60_000)));
    expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    for (const c of counts) expect(c.resetMs).toBeGreaterThan(0);
    expect(await raw.get(usageKey(prefix, 'billing'))).toBe('300');
    const pttl = await raw.pttl(usageKey(prefix, 'billing'));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
    // Another client has its own count.
    expect((await counters[0].increment('crm', 60_000)).count).toBe(1);
  });

  it('starts a new window when the old one ends, and repairs a key without expiry', async () => {
    const counter = new RedisUsageCounter(await instance(), prefix, new MemoryUsageCounter());
    expect((await counter.increment('short', 100)).count).toBe(1);
    expect((await counter.increment('short', 100)).count).toBe(2);
    await new Promise((r) => setTimeout(r, 150));
    expect((await counter.increment('short', 100)).count).toBe(1);
    await raw.set(usageKey(prefix, 'no-expiry'), '7');
    const repaired = await counter.increment('no-expiry', 30_000);
    expect(repaired.count).toBe(8);
    expect(await raw.pttl(usageKey(prefix, 'no-expiry'))).toBeGreaterThan(0);
  });
});

describe('without a reachable Redis', () => {
  it('reads miss, writes and locks do nothing, usage is counted in process, one warning', async () => {
    const { service, logs } = await startRedisService({ REDIS_URL: `redis://127.0.0.1:${await freePort()}/0`, REDIS_KEY_PREFIX: prefix });
    services.push(service);
    expect(service.available).toBe(false);
    const store = new RedisAnswerStore(service);
    expect(await store.get(answerKey(prefix, query, 'telnyx'))).toBe('unavailable');
    await store.set(answerKey(prefix, query, 'telnyx'), { at: 1, numbers: [] }, 60);
    expect(await new RedisFillLock(service, fillChannel(prefix)).acquire(fillLockKey(prefix, query, 'telnyx'), 1000)).toBe('unavailable');
    const counter = new RedisUsageCounter(service, prefix, new MemoryUsageCounter());
    expect((await counter.increment('billing', 60_000)).count).toBe(1);
    expect((await counter.increment('billing', 60_000)).count).toBe(2);
    expect(logs.filter((l) => l.level === 'warn' && l.msg.startsWith('Redis is unavailable'))).toHaveLength(1);
  });
});
