import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, startApp, type RunningApp } from '../support/app';
import { DedicatedRedis, freePort, RedisCluster, redisServerAvailable, uniquePrefix } from '../support/redis';

/** Redis taken away in the middle of a run, and Redis Cluster, each on redis-server processes of its own. */
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('redis-server or redis-cli is not installed: the Redis outage and cluster tests are skipped');
const maybe = haveRedis ? describe : describe.skip;

const Q = '/numbers/available?countryCode=US&areaCode=212&limit=5';
let emu: EmulatorServer;
beforeAll(async () => {
  emu = await startEmulators({ carriers: ['telnyx', 'twilio'] });
});
afterAll(() => emu.close());

maybe('a Redis outage', () => {
  let redis: DedicatedRedis;
  let app: RunningApp;
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('fails no search, reports Redis down in readiness (still 200), warns once, and recovers by itself', async () => {
    redis = new DedicatedRedis(await freePort());
    await redis.start();
    app = await startApp(baseEnv({ ...emu.env(), REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix('outage'), USAGE_LIMIT_REQUESTS: '1000' }));
    expect((await app.get(Q)).headers.get('x-cache')).toBe('MISS');
    expect((await app.get(Q)).headers.get('x-cache')).toBe('HIT');

    await redis.kill();
    // A search answered before the outage may still be served from the in-process memo until its TTL; a
    // new one goes past Redis to the carriers.
    const Q2 = '/numbers/available?countryCode=US&areaCode=312&limit=5';
    const during: Response[] = [];
    for (let i = 0; i < 20; i++) during.push(await app.get(i % 2 ? Q : Q2));
    expect(during.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(during.filter((_, i) => i % 2 === 0).every((r) => r.headers.get('x-cache') === 'MISS')).toBe(true);
    // Usage is still counted (in process) while Redis is away.
    expect(Number(during.at(-1)!.headers.get('x-ratelimit-remaining'))).toBeLessThan(1000);

    const ready = await app.get('/health/ready', {});
    expect(ready.status).toBe(200);
    const health = (await ready.json()) as { status: string; details: { redis: { status: string } }; degraded: string[] };
    expect(health.details.redis.status).toBe('down');
    expect(health.degraded).toEqual(['redis']);
    const warnings = app.logs.filter((l) => l.level === 'warn' && String(l.msg).startsWith('Redis is unavailable'));
    expect(warnings).toHaveLength(1);

    await redis.start();
    let recovered = false;
    for (let i = 0; i < 60 && !recovered; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = ((await (await app.get('/health/ready', {})).json()) as { details: { redis: { status: string } } }).details.redis.status === 'up';
    }
    expect(recovered).toBe(true);
    const Q3 = '/numbers/available?countryCode=US&areaCode=617&limit=5';
    expect((await app.get(Q3)).headers.get('x-cache')).toBe('MISS');
    expect((await app.get(Q3, { ...app.authHeaders, 'cache-control': 'no-cache' })).headers.get('x-cache')).toBe('MISS');
    expect(app.logs.some((l) => String(l.msg).startsWith('Redis is back'))).toBe(true);
  }, 30_000);
});

maybe('Redis Cluster', () => {
  const cluster = new RedisCluster();
  let app: RunningApp;
  afterAll(async () => {
    await app?.close();
    await cluster.stop();
  });

  it('caches and counts usage through a three-node cluster', async () => {
    await cluster.start();
    app = await startApp(
      baseEnv({ ...emu.env(), REDIS_CLUSTER_NODES: cluster.seeds, REDIS_KEY_PREFIX: uniquePrefix('cluster'), USAGE_LIMIT_REQUESTS: '3' }),
    );
    emu.clearRequests();
    expect((await app.get(Q)).headers.get('x-cache')).toBe('MISS');
    expect((await app.get(Q)).headers.get('x-cache')).toBe('HIT');
    expect(emu.requests('telnyx')).toHaveLength(1);
    const third = await app.get(Q);
    expect([third.status, third.headers.get('x-ratelimit-remaining')]).toEqual([200, '0']);
    expect((await app.get(Q)).status).toBe(402);
    const ready = (await (await app.get('/health/ready', {})).json()) as { details: { redis: { status: string } } };
    expect(ready.details.redis.status).toBe('up');
  }, 60_000);
});
