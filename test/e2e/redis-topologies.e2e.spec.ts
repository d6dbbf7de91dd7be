import Redis, { Cluster } from 'ioredis';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, OTHER_KEY, startApp, type RunningApp } from '../support/app';
import { freePort, RedisCluster, RedisSentinel, redisServerAvailable, uniquePrefix } from '../support/redis';

/**
 * Redis Cluster (three cluster-enabled redis-server processes joined with redis-cli) and Sentinel (a master
 * and one sentinel), each started by this test on free loopback ports and stopped by PID. Every check goes
 * through a second instance, since an instance also memoises answers in process.
 */
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('redis-server or redis-cli is not installed: the Redis Cluster and Sentinel tests are skipped');
const maybe = haveRedis ? describe : describe.skip;

const CARRIERS = ['telnyx', 'twilio'];
const Q = '/numbers/available?countryCode=US&areaCode=212&features=voice,sms&limit=5';
let emu: EmulatorServer;
const apps: RunningApp[] = [];
const calls = () => Object.fromEntries(CARRIERS.map((c) => [c, emu.requests(c).length]));

beforeAll(async () => {
  emu = await startEmulators({ carriers: CARRIERS });
});
afterAll(() => emu.close());
/** Instances are closed before the Redis processes they use are stopped. */
const closeApps = () => Promise.all(apps.splice(0).map((a) => a.close()));

async function twoInstances(env: Record<string, string>): Promise<[RunningApp, RunningApp]> {
  const started = await Promise.all([0, 1].map(() => startApp(baseEnv({ ...emu.env(), CIRCUIT_BREAKER_THRESHOLD: '1000', ...env }))));
  apps.push(...started);
  return started as [RunningApp, RunningApp];
}

maybe('Redis Cluster', () => {
  const cluster = new RedisCluster();
  let client: Cluster;
  afterAll(async () => {
    client?.disconnect();
    await closeApps();
    await cluster.stop();
  });

  it('shares answers, coalesces a stampede and counts usage exactly through a three-node cluster', async () => {
    await cluster.start();
    const prefix = uniquePrefix('cluster');
    const [a, b] = await twoInstances({ REDIS_CLUSTER_NODES: cluster.seeds, REDIS_KEY_PREFIX: prefix, USAGE_LIMIT_REQUESTS: '40' });
    emu.reset();
    for (const c of CARRIERS) emu.setBehaviour(c, { latencyMs: 150 });

    // 30 identical searches over both instances on an empty cache: one call per carrier (lock on the cluster).
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).get(Q)));
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(new Set(await Promise.all(answers.map((r) => r.text()))).size).toBe(1);
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });

    // The entries live in the cluster, both carriers' on the slot of the query's hash tag.
    client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }]);
    const keys = [`${prefix}:v1:answer:{US:local:212:sms,voice:5}:telnyx`, `${prefix}:v1:answer:{US:local:212:sms,voice:5}:twilio`];
    expect(await Promise.all(keys.map((k) => client.exists(k)))).toEqual([1, 1]);

    // 30 more searches on a limit of 40 (usage counted by the script on the cluster, across both instances).
    const more = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).get(Q).then((r) => r.status)));
    expect(more.filter((s) => s === 200)).toHaveLength(10);
    expect(more.filter((s) => s === 402)).toHaveLength(20);
    expect(await client.get(`${prefix}:v1:usage:{billing}`)).toBe('60');
    // Another client, a new query: a miss on one instance, a hit from the cluster on the other.
    const other = { 'x-api-key': OTHER_KEY };
    const Q2 = '/numbers/available?countryCode=US&areaCode=718&limit=5';
    expect((await a.get(Q2, other)).headers.get('x-cache')).toBe('MISS');
    expect((await b.get(Q2, other)).headers.get('x-cache')).toBe('HIT');
    expect(calls()).toEqual({ telnyx: 2, twilio: 2 });

    const ready = (await (await a.get('/health/ready', {})).json()) as { details: { redis: { status: string; mode: string } } };
    expect(ready.details.redis).toMatchObject({ status: 'up', mode: 'cluster' });
  });
});

maybe('Redis Sentinel', () => {
  let sentinel: RedisSentinel;
  let master: Redis;
  afterAll(async () => {
    master?.disconnect();
    await closeApps();
    await sentinel?.stop();
  });

  it('finds the master through the sentinel, shares answers and counts usage there', async () => {
    sentinel = new RedisSentinel(await freePort());
    await sentinel.start();
    const prefix = uniquePrefix('sentinel');
    const [a, b] = await twoInstances({ REDIS_SENTINELS: sentinel.seeds, REDIS_SENTINEL_NAME: sentinel.name, REDIS_KEY_PREFIX: prefix, USAGE_LIMIT_REQUESTS: '10' });
    emu.reset();
    expect((await a.get(Q)).headers.get('x-cache')).toBe('MISS');
    const hit = await b.get(Q);
    expect([hit.status, hit.headers.get('x-cache'), hit.headers.get('x-ratelimit-remaining')]).toEqual([200, 'HIT', '8']);
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
    master = new Redis(sentinel.master.url);
    expect(await master.get(`${prefix}:v1:usage:{billing}`)).toBe('2');
    expect(await master.exists(`${prefix}:v1:answer:{US:local:212:sms,voice:5}:telnyx`)).toBe(1);
    const ready = (await (await b.get('/health/ready', {})).json()) as { details: { redis: { status: string; mode: string } } };
    expect(ready.details.redis).toMatchObject({ status: 'up', mode: 'sentinel' });
  });
});
