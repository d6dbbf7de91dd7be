import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { RedisUsageCounter } from '../../src/usage/redis-usage-counter';
import { baseEnv, startApp, type RunningApp } from '../support/app';
import { DedicatedRedis, eventually, freePort, redisServerAvailable, startRedisService, uniquePrefix } from '../support/redis';

/**
 * USAGE_LIMIT_ON_REDIS_ERROR while the shared usage counter cannot be reached: two instances share a limit
 * of 20 searches on a redis-server process of the test's own, which is killed (SIGKILL) or frozen
 * (SIGSTOP: connections open, no answers).
 */
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('redis-server or redis-cli is not installed: the usage outage tests are skipped');
const maybe = haveRedis ? describe : describe.skip;

const Q = '/numbers/available?countryCode=US&areaCode=212&limit=5';
const LIMIT = 20;

let emu: EmulatorServer;
let redis: DedicatedRedis;
const apps: RunningApp[] = [];

beforeAll(async () => {
  emu = await startEmulators({ carriers: ['telnyx'] });
  if (haveRedis) {
    redis = new DedicatedRedis(await freePort());
    await redis.start();
  }
});
afterAll(async () => {
  redis?.resume();
  await Promise.all(apps.map((a) => a.close()));
  await redis?.stop();
  await emu.close();
});

/** Two instances sharing the limit (one key prefix), in the given mode. */
async function pair(mode?: 'open' | 'closed'): Promise<[RunningApp, RunningApp]> {
  const env = baseEnv({
    ...emu.env(),
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: uniquePrefix('usage-outage'),
    USAGE_LIMIT_REQUESTS: String(LIMIT),
    USAGE_LIMIT_WINDOW_SECONDS: '600',
    ...(mode && { USAGE_LIMIT_ON_REDIS_ERROR: mode }),
  });
  const both = await Promise.all([startApp(env), startApp(env)]);
  apps.push(...both);
  return both;
}

/** `count` searches, alternating between the two instances, one after another. */
async function searches(a: RunningApp, b: RunningApp, count: number): Promise<Response[]> {
  const out: Response[] = [];
  for (let i = 0; i < count; i++) out.push(await (i % 2 ? a : b).get(Q));
  return out;
}

const metric = async (app: RunningApp, series: string) => {
  const text = await (await app.get('/metrics', {})).text();
  return Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
};

async function expectRefusedForUsage(res: Response): Promise<void> {
  const body = (await res.json()) as { trackingId: string; error: { code: string; message: string; fix: string } };
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(body.trackingId).toBe(res.headers.get('x-tracking-id'));
  expect(body.error).toMatchObject({ code: 'usage_unavailable', message: expect.stringContaining('cannot be counted'), fix: expect.stringMatching(/^Retry after 5 seconds/) });
  // Refused before anything is looked up.
  expect(res.headers.get('x-cache')).toBeNull();
}

maybe('USAGE_LIMIT_ON_REDIS_ERROR', () => {
  it('open (the default): each instance counts on its own while Redis is down, so two let 40 searches through', async () => {
    const [a, b] = await pair();
    await redis.kill();
    try {
      const during = await searches(a, b, 2 * LIMIT);
      expect(during.map((r) => r.status)).toEqual(Array(2 * LIMIT).fill(200));
      // Each instance counted its own 20; the next search on either is past the limit.
      expect((await a.get(Q)).status).toBe(402);
      expect(await metric(a, 'usage_unavailable_total{scope="searches",action="counted_in_process"}')).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
  });

  it('closed: refuses every search with 503 usage_unavailable while Redis is down, and serves again once it is back', async () => {
    const [a, b] = await pair('closed');
    expect((await a.get(Q)).status).toBe(200);
    const carrierCalls = emu.requests('telnyx').length;
    await redis.kill();
    try {
      const during = await searches(a, b, 2 * LIMIT);
      for (const r of during) await expectRefusedForUsage(r);
      expect(emu.requests('telnyx').length).toBe(carrierCalls);
      expect(await metric(a, 'usage_unavailable_total{scope="searches",action="refused"}')).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
    expect(await eventually(async () => (await a.get(Q)).status === 200 && (await b.get(Q)).status === 200, 200, 50)).toBe(true);
  });

  it('closed: refuses searches while Redis hangs (commands time out), and serves again once it answers', async () => {
    const [a, b] = await pair('closed');
    expect((await b.get(Q)).status).toBe(200);
    redis.pause();
    try {
      const during = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).get(Q)));
      for (const r of during) await expectRefusedForUsage(r);
    } finally {
      redis.resume();
    }
    expect(await eventually(async () => (await a.get(Q)).status === 200, 200, 50)).toBe(true);
  });

  it('closed: orders share the counter, so an order that cannot be counted is refused the same way', async () => {
    const { service } = await startRedisService({ REDIS_URL: `redis://127.0.0.1:${await freePort()}/0` });
    const told: string[] = [];
    try {
      const counter = new RedisUsageCounter(service, 'closed-orders', { fallback: 'refuse', onUnavailable: (scope, action) => told.push(`${scope}:${action}`) });
      await expect(counter.increment('billing', 60_000, 'orders')).rejects.toMatchObject({
        code: 'usage_unavailable',
        status: 503,
        message: expect.stringContaining('orders of client "billing"'),
        headers: { 'retry-after': '5' },
      });
      expect(told).toEqual(['orders:refused']);
    } finally {
      await service.onApplicationShutdown();
    }
  });
});
