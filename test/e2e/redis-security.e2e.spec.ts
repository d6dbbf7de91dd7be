import type { RedisService } from '../../src/redis/redis.service';
import { baseEnv, startApp } from '../support/app';
import { freePort, redisServerAvailable, startRedisService, uniquePrefix } from '../support/redis';
import {
  APP_PASSWORD,
  APP_USER,
  DEFAULT_PASSWORD,
  SecureCluster,
  SecureRedisProcess,
  SecureSentinel,
  SENTINEL_PASSWORD,
  TlsMaterial,
  redisTlsAvailable,
} from '../support/secure-redis';

/**
 * Redis as production runs it: a password on the default user, an ACL user for the application, TLS
 * with a private CA, in each topology (one server, Sentinel, Cluster). Every Redis here is a redis-server
 * process of this test's own; the service connects through the same RedisService the application uses.
 */
const haveRedis = redisServerAvailable();
const haveTls = haveRedis && redisTlsAvailable();
if (!haveRedis) console.warn('redis-server or redis-cli is not installed: the Redis credential and TLS tests are skipped');
else if (!haveTls) console.warn('this redis-server has no TLS support: the Redis TLS tests are skipped');
const withRedis = haveRedis ? describe : describe.skip;
const withTls = haveTls ? describe : describe.skip;

const services: RedisService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.onApplicationShutdown()));
});

async function connect(env: Record<string, string>): Promise<RedisService> {
  const { service } = await startRedisService(env);
  services.push(service);
  return service;
}

/** A write and a read through the service's own connection, and the ACL user it is authenticated as. */
async function roundTrip(service: RedisService): Promise<{ available: boolean; user: string; value: string | null }> {
  const client = service.client!;
  const key = `${uniquePrefix('secure')}:${Math.random()}`;
  await client.set(key, 'stored', 'EX', 60);
  return { available: service.available, user: String(await client.call('ACL', 'WHOAMI')), value: await client.get(key) };
}

const encodedUrlUser = `${APP_USER}:${encodeURIComponent(APP_PASSWORD)}`;

withRedis('one Redis server with a password and an ACL user', () => {
  let redis: SecureRedisProcess;
  beforeAll(async () => {
    redis = new SecureRedisProcess(await freePort(), undefined);
    await redis.start();
  });
  afterAll(() => redis.stop());

  it('authenticates as the ACL user named by REDIS_USERNAME and REDIS_PASSWORD', async () => {
    const service = await connect({ REDIS_URL: `redis://127.0.0.1:${redis.port}/0`, REDIS_USERNAME: APP_USER, REDIS_PASSWORD: APP_PASSWORD });
    expect(await roundTrip(service)).toEqual({ available: true, user: APP_USER, value: 'stored' });
  });

  it('authenticates as the default user with REDIS_PASSWORD alone', async () => {
    const service = await connect({ REDIS_URL: `redis://127.0.0.1:${redis.port}/0`, REDIS_PASSWORD: DEFAULT_PASSWORD });
    expect(await roundTrip(service)).toEqual({ available: true, user: 'default', value: 'stored' });
  });

  it('takes the user and a percent-encoded password from REDIS_URL instead', async () => {
    const service = await connect({ REDIS_URL: `redis://${encodedUrlUser}@127.0.0.1:${redis.port}/0` });
    expect(await roundTrip(service)).toEqual({ available: true, user: APP_USER, value: 'stored' });
  });

  it('is unavailable without credentials, and says why', async () => {
    const service = await connect({ REDIS_URL: `redis://127.0.0.1:${redis.port}/0` });
    expect(service.available).toBe(false);
    expect(service.state.lastError).toMatch(/NOAUTH/);
  });

  it('with a wrong password: unavailable, WRONGPASS in /health/ready, the password in no answer and no log line', async () => {
    const wrong = 'wrong-Pa55word-for-ngapp';
    const app = await startApp(baseEnv({ REDIS_URL: `redis://127.0.0.1:${redis.port}/0`, REDIS_USERNAME: APP_USER, REDIS_PASSWORD: wrong }));
    try {
      const res = await app.get('/health/ready', {});
      const text = await res.text();
      const redisState = (JSON.parse(text) as { details: { redis: { status: string; lastError?: string } } }).details.redis;
      expect(redisState.status).toBe('down');
      expect(redisState.lastError).toMatch(/WRONGPASS/);
      expect(app.rawLogs.some((l) => l.includes('Redis is unavailable') && l.includes('WRONGPASS'))).toBe(true);
      expect(`${text}\n${app.rawLogs.join('\n')}`).not.toContain(wrong);
    } finally {
      await app.close();
    }
  });
});

withTls('one Redis server over TLS only', () => {
  let tls: TlsMaterial;
  let redis: SecureRedisProcess;
  beforeAll(async () => {
    tls = new TlsMaterial();
    redis = new SecureRedisProcess(await freePort(), tls);
    await redis.start();
  });
  afterAll(async () => {
    await redis.stop();
    tls.remove();
  });

  it('connects with REDIS_TLS=true, trusting REDIS_TLS_CA_FILE, as the ACL user', async () => {
    const service = await connect({
      REDIS_URL: `redis://127.0.0.1:${redis.port}/0`,
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: tls.caFile,
      REDIS_USERNAME: APP_USER,
      REDIS_PASSWORD: APP_PASSWORD,
    });
    expect(await roundTrip(service)).toEqual({ available: true, user: APP_USER, value: 'stored' });
  });

  it('takes rediss:// as TLS, with the credentials in the URL', async () => {
    const service = await connect({ REDIS_URL: `rediss://${encodedUrlUser}@127.0.0.1:${redis.port}/0`, REDIS_TLS_CA_FILE: tls.caFile });
    expect(await roundTrip(service)).toEqual({ available: true, user: APP_USER, value: 'stored' });
  });

  it('refuses a server whose certificate no trusted CA signed', async () => {
    const service = await connect({ REDIS_URL: `rediss://${encodedUrlUser}@127.0.0.1:${redis.port}/0` });
    expect(service.available).toBe(false);
    expect(service.state.lastError).toMatch(/certificate/i);
  });
});

withRedis('Redis Sentinel with passwords on the sentinels and the master', () => {
  let sentinel: SecureSentinel;
  beforeAll(async () => {
    sentinel = new SecureSentinel();
    await sentinel.start();
  });
  afterAll(() => sentinel.stop());

  const env = () => ({ REDIS_SENTINELS: sentinel.seeds, REDIS_SENTINEL_NAME: sentinel.name, REDIS_USERNAME: APP_USER, REDIS_PASSWORD: APP_PASSWORD });

  it('asks the sentinel with REDIS_SENTINEL_PASSWORD and uses the master as the ACL user', async () => {
    const service = await connect({ ...env(), REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD });
    const key = `${uniquePrefix('sentinel')}:k`;
    await service.client!.set(key, 'on-the-master', 'EX', 60);
    expect(await roundTrip(service)).toEqual({ available: true, user: APP_USER, value: 'stored' });
    expect(sentinel.master.cli(DEFAULT_PASSWORD, ['GET', key]).stdout.trim()).toBe('on-the-master');
  });

  it('finds no master without the sentinels password', async () => {
    const service = await connect(env());
    expect(service.available).toBe(false);
  });
});

withRedis('Redis Cluster with a password and an ACL user on every node', () => {
  let cluster: SecureCluster;
  beforeAll(async () => {
    cluster = new SecureCluster();
    await cluster.start();
  });
  afterAll(() => cluster.stop());

  it('authenticates to every node it discovers as the ACL user', async () => {
    const service = await connect({ REDIS_CLUSTER_NODES: cluster.seeds, REDIS_USERNAME: APP_USER, REDIS_PASSWORD: APP_PASSWORD });
    expect(await roundTrip(service)).toEqual({ available: true, user: APP_USER, value: 'stored' });
    // Keys on every node: each connection the cluster client opened is authenticated.
    const keys = Array.from({ length: 30 }, (_, i) => `${uniquePrefix('cluster')}:${i}`);
    await Promise.all(keys.map((k) => service.client!.set(k, k, 'EX', 60)));
    expect(await Promise.all(keys.map((k) => service.client!.get(k)))).toEqual(keys);
    const perNode = cluster.nodes.map((n) => Number(n.cli(DEFAULT_PASSWORD, ['DBSIZE']).stdout.trim()));
    expect(perNode.every((count) => count > 0)).toBe(true);
  });

  it('is unavailable without the password', async () => {
    const service = await connect({ REDIS_CLUSTER_NODES: cluster.seeds });
    expect(service.available).toBe(false);
  });
});

withTls('Redis Sentinel and Redis Cluster over TLS', () => {
  let tls: TlsMaterial;
  let sentinel: SecureSentinel;
  let cluster: SecureCluster;
  beforeAll(async () => {
    tls = new TlsMaterial();
    sentinel = new SecureSentinel(tls);
    cluster = new SecureCluster(tls);
    await sentinel.start();
    await cluster.start();
  });
  afterAll(async () => {
    await sentinel.stop();
    await cluster.stop();
    tls.remove();
  });

  it('reaches the sentinel and its master over TLS', async () => {
    const service = await connect({
      REDIS_SENTINELS: sentinel.seeds,
      REDIS_SENTINEL_NAME: sentinel.name,
      REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
      REDIS_USERNAME: APP_USER,
      REDIS_PASSWORD: APP_PASSWORD,
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: tls.caFile,
    });
    expect(await roundTrip(service)).toEqual({ available: true, user: APP_USER, value: 'stored' });
  });

  it('serves searches and readiness through a TLS cluster', async () => {
    const prefix = uniquePrefix('tls-cluster');
    const app = await startApp(
      baseEnv({
        REDIS_CLUSTER_NODES: cluster.seeds,
        REDIS_USERNAME: APP_USER,
        REDIS_PASSWORD: APP_PASSWORD,
        REDIS_TLS: 'true',
        REDIS_TLS_CA_FILE: tls.caFile,
        REDIS_KEY_PREFIX: prefix,
        USAGE_LIMIT_REQUESTS: '100',
      }),
    );
    try {
      const search = await app.get('/numbers/available?countryCode=US&limit=1');
      expect(search.status).toBe(200);
      // The usage count is in the cluster (it would be counted in process if Redis were unusable).
      expect(cluster.nodes[0].cli(DEFAULT_PASSWORD, ['-c', 'GET', `${prefix}:v1:usage:{billing}`]).stdout.trim()).toBe('1');
      const ready = (await (await app.get('/health/ready', {})).json()) as { details: { redis: { status: string; mode: string } } };
      expect(ready.details.redis).toMatchObject({ status: 'up', mode: 'cluster' });
      expect(app.rawLogs.join('\n')).not.toContain(APP_PASSWORD);
    } finally {
      await app.close();
    }
  });
});
