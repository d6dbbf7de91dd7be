import { answerKey } from '../../src/cache/cache-keys';
import { RedisAnswerStore } from '../../src/cache/redis-answer-store';
import type { RedisService } from '../../src/redis/redis.service';
import type { SearchQuery } from '../../src/domain/search-query';
import { RedisUsageCounter } from '../../src/usage/redis-usage-counter';
import { MemoryUsageCounter } from '../../src/usage/usage-counter';
import { type CapturedLog, DedicatedRedis, eventually, freePort, redisServerAvailable, startRedisService } from '../support/redis';

/**
 * The connection's health on a redis-server of this test's own (stopped by its PID): a hung Redis
 * (SIGSTOP) and a dead one (SIGKILL) each become one warning and fast fallbacks, and both recover alone.
 */
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('redis-server or redis-cli is not installed: the Redis connection tests are skipped');
const maybe = haveRedis ? describe : describe.skip;

const query: SearchQuery = { countryCode: 'US', features: [], phoneNumberType: 'local', limit: 10 };

maybe('RedisService', () => {
  let redis: DedicatedRedis;
  let service: RedisService;
  let logs: CapturedLog[];
  const warnings = () => logs.filter((l) => l.level === 'warn' && l.msg.startsWith('Redis is unavailable'));
  const recoveries = () => logs.filter((l) => l.level === 'info' && l.msg.startsWith('Redis is back'));

  beforeAll(async () => {
    redis = new DedicatedRedis(await freePort());
    await redis.start();
    ({ service, logs } = await startRedisService({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'svc' }));
  });
  afterAll(async () => {
    redis?.resume();
    await service?.onApplicationShutdown();
    await redis?.stop();
  });

  it('treats a hung Redis as unavailable after one failed command and a failed PING, then recovers', async () => {
    const store = new RedisAnswerStore(service);
    const counter = new RedisUsageCounter(service, 'svc', new MemoryUsageCounter());
    const key = answerKey('svc', query, 'telnyx');
    await store.set(key, { at: Date.now(), numbers: [] }, 60);
    expect(service.available).toBe(true);

    redis.pause();
    // The connection still looks open: the first reads wait out the command timeout, then fail soft.
    expect(await store.get(key)).toBe('unavailable');
    expect(await eventually(() => !service.available)).toBe(true);
    // From then on nothing waits on Redis: reads answer 'unavailable' at once, usage is counted in process.
    expect(await store.get(key)).toBe('unavailable');
    expect((await counter.increment('billing', 60_000)).count).toBe(1);
    expect(service.state.commands).toMatch(/failing/);
    expect(warnings()).toHaveLength(1);

    redis.resume();
    expect(await eventually(() => service.available)).toBe(true);
    expect(await store.get(key)).toMatchObject({ numbers: [] });
    expect(recoveries()).toHaveLength(1);
    expect(warnings()).toHaveLength(1);
  });

  it('logs a dead Redis once, however many commands fail, and reconnects when it is back', async () => {
    const store = new RedisAnswerStore(service);
    const before = warnings().length;
    await redis.kill();
    expect(await eventually(() => !service.available)).toBe(true);
    for (let i = 0; i < 50; i++) expect(await store.get(answerKey('svc', query, 'twilio'))).toBe('unavailable');
    // Reconnection attempts fail for a while: still one warning for the whole outage.
    await new Promise((r) => setTimeout(r, 500));
    expect(warnings()).toHaveLength(before + 1);

    await redis.start();
    expect(await eventually(() => service.available)).toBe(true);
    await store.set(answerKey('svc', query, 'twilio'), { at: 1, numbers: [] }, 60);
    expect(await store.get(answerKey('svc', query, 'twilio'))).toEqual({ at: 1, numbers: [] });
    expect(warnings()).toHaveLength(before + 1);
  });

  it('closes its connection on shutdown', async () => {
    const { service: other } = await startRedisService({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'svc' });
    expect(other.available).toBe(true);
    await other.onApplicationShutdown();
    expect(other.client?.status).toBe('end');
    expect(other.available).toBe(false);
  });

  it('shuts down without waiting for a Redis that is gone', async () => {
    const { service: other } = await startRedisService({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'svc' });
    expect(other.available).toBe(true);
    await redis.kill();
    expect(await eventually(() => !other.available)).toBe(true);
    await other.onApplicationShutdown();
    // Redis comes back: the running service reconnects, the one that shut down stays closed.
    await redis.start();
    expect(await eventually(() => service.available)).toBe(true);
    expect(other.client?.status).not.toBe('ready');
    expect(other.available).toBe(false);
  });
});
