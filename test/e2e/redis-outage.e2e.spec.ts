import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, startApp, type RunningApp } from '../support/app';
import { DedicatedRedis, eventually, freePort, redisServerAvailable, uniquePrefix } from '../support/redis';

/** Redis taken away in the middle of a run, on a redis-server process of the test's own (stopped by its PID). */
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('redis-server or redis-cli is not installed: the Redis outage tests are skipped');
const maybe = haveRedis ? describe : describe.skip;

const Q = '/numbers/available?countryCode=US&areaCode=212&limit=5';
let emu: EmulatorServer;
beforeAll(async () => {
  emu = await startEmulators({ carriers: ['telnyx', 'twilio'] });
});
afterAll(() => emu.close());

type Health = { status: string; details: { redis: { status: string } }; degraded?: string[] };
const readiness = async (app: RunningApp) => {
  const r = await app.get('/health/ready', {});
  return { status: r.status, body: (await r.json()) as Health };
};
const started: RunningApp[] = [];
/**
 * nestjs-pino writes lines logged outside a request to the stream of the first app of the test file, so an
 * app's Redis lines are found by its key prefix among the lines of every app.
 */
const redisLines = (app: RunningApp, start: string) =>
  started.flatMap((a) => a.logs).filter((l) => l.keyPrefix === (app as RunningApp & { prefix: string }).prefix && String(l.msg).startsWith(start));
const redisWarnings = (app: RunningApp) => redisLines(app, 'Redis is unavailable').filter((l) => l.level === 'warn');

maybe('a Redis outage', () => {
  let redis: DedicatedRedis;
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    redis = new DedicatedRedis(await freePort());
    await redis.start();
  });
  afterAll(async () => {
    redis?.resume();
    await Promise.all(apps.map((a) => a.close()));
    await redis?.stop();
  });
  const app = async (prefix = uniquePrefix('outage')) => {
    const a = await startApp(baseEnv({ ...emu.env(), REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, USAGE_LIMIT_REQUESTS: '100000' }));
    apps.push(a);
    started.push(a);
    return Object.assign(a, { prefix });
  };

  it('fails no search, reports Redis down in readiness (still 200), warns once, and recovers by itself', async () => {
    const a = await app();
    expect((await a.get(Q)).headers.get('x-cache')).toBe('MISS');
    expect((await a.get(Q)).headers.get('x-cache')).toBe('HIT');

    await redis.kill();
    // A search answered before the outage may still be served from the in-process memo until its TTL; a
    // new one goes past Redis to the carriers.
    const Q2 = '/numbers/available?countryCode=US&areaCode=312&limit=5';
    const during: Response[] = [];
    for (let i = 0; i < 20; i++) during.push(await a.get(i % 2 ? Q : Q2));
    expect(during.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(during.filter((_, i) => i % 2 === 0).every((r) => r.headers.get('x-cache') === 'MISS')).toBe(true);
    // Usage is still counted (in process) while Redis is away.
    expect(Number(during.at(-1)!.headers.get('x-ratelimit-remaining'))).toBeLessThan(100000);

    const ready = await readiness(a);
    expect(ready.status).toBe(200);
    expect(ready.body.details.redis.status).toBe('down');
    expect(ready.body.degraded).toEqual(['redis']);
    expect(redisWarnings(a)).toHaveLength(1);

    await redis.start();
    expect(await eventually(async () => (await readiness(a)).body.details.redis.status === 'up')).toBe(true);
    const Q3 = '/numbers/available?countryCode=US&areaCode=617&limit=5';
    expect((await a.get(Q3)).headers.get('x-cache')).toBe('MISS');
    expect((await a.get(Q3, { ...a.authHeaders, 'cache-control': 'no-cache' })).headers.get('x-cache')).toBe('MISS');
    expect(redisLines(a, 'Redis is back')).toHaveLength(1);
    expect(redisWarnings(a)).toHaveLength(1);
  });

  it('fails no search under load while Redis dies, and while it comes back', async () => {
    const a = await app();
    const statuses: number[] = [];
    let stop = false;
    // Four clients searching back to back over a few queries, some answered from the cache.
    const client = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const r = await a.get(`/numbers/available?countryCode=US&areaCode=${[212, 312, 415, 617, 718][(i + n) % 5]}&limit=5`, {
          ...a.authHeaders,
          ...(i % 7 === 0 && { 'cache-control': 'no-cache' }),
        });
        await r.arrayBuffer();
        statuses.push(r.status);
      }
    };
    const until = (count: number) => eventually(() => statuses.length >= count, 400, 25);
    const load = Promise.all([0, 1, 2, 3].map(client));
    await until(40);
    await redis.kill();
    const killedAt = statuses.length;
    await until(killedAt + 80);
    await redis.start();
    const recovered = await eventually(async () => (await readiness(a)).body.details.redis.status === 'up');
    await until(statuses.length + 40);
    stop = true;
    await load;
    expect(recovered).toBe(true);
    expect(statuses.length).toBeGreaterThanOrEqual(160);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(redisWarnings(a)).toHaveLength(1);
  });

  it('fails no search while Redis hangs (connections open, no answers), and resumes the cache after', async () => {
    const prefix = uniquePrefix('hang');
    const a = await app(prefix);
    const Q4 = '/numbers/available?countryCode=US&areaCode=415&limit=5';
    expect((await a.get(Q4)).headers.get('x-cache')).toBe('MISS');
    redis.pause();
    // Commands time out instead of failing; after the first ones, Redis is skipped until it answers a PING.
    const during = await Promise.all(Array.from({ length: 10 }, (_, i) => a.get(`/numbers/available?countryCode=US&areaCode=${300 + i}&limit=5`)));
    expect(during.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(during.map((r) => r.headers.get('x-cache'))).toEqual(Array(10).fill('MISS'));
    expect(await eventually(async () => (await readiness(a)).body.details.redis.status === 'down')).toBe(true);
    const later = await Promise.all(Array.from({ length: 10 }, (_, i) => a.get(`/numbers/available?countryCode=US&areaCode=${400 + i}&limit=5`)));
    expect(later.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(redisWarnings(a)).toHaveLength(1);

    redis.resume();
    expect(await eventually(async () => (await readiness(a)).body.details.redis.status === 'up')).toBe(true);
    // The entry written before the hang is still in Redis: another instance reads it.
    expect((await (await app(prefix)).get(Q4)).headers.get('x-cache')).toBe('HIT');
    expect(redisWarnings(a)).toHaveLength(1);
  });
});
