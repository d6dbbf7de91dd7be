import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';
import { ConfigProblemList } from '../../src/config/config-problems';
import { readMemoryConfig } from '../../src/config/memory.config';
import { configProblems as problems } from '../support/config-problems';

const KEYS = { API_KEYS: 'billing:k_live_0123456789ab' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(KEYS, PROVIDER_DEFINITIONS);
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      auth: { disabled: false },
      usage: { limit: 0, windowSeconds: 60, onRedisError: 'open' },
      redis: undefined,
      cache: { ttlSeconds: 60, staleSeconds: 0, staleIfErrorSeconds: 300, bypassClients: [] },
      providerTimeoutMs: 3000,
      requestTimeoutMs: 5000,
      providers: [],
    });
    expect(c.auth.keys.map((k) => k.client)).toEqual(['billing']);
  });

  it('refuses to start without keys unless AUTH_DISABLED=true', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^API_KEYS .*AUTH_DISABLED=true.*\(example: API_KEYS=/)]);
    expect(loadConfig({ AUTH_DISABLED: 'true' }, PROVIDER_DEFINITIONS).auth.disabled).toBe(true);
  });

  it('reads API_KEY_SHA256 pairs', () => {
    const hex = 'a'.repeat(64);
    const c = loadConfig({ API_KEY_SHA256: `crm:${hex}` }, PROVIDER_DEFINITIONS);
    expect(c.auth.keys[0].client).toBe('crm');
    expect(c.auth.keys[0].sha256.toString('hex')).toBe(hex);
    expect(c.auth.keys[0].plain).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a whole number from 1 to 65535, got "abc" \(example: PORT=3000\)$/],
    [{ PORT: '70000' }, /^PORT/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ AUTH_DISABLED: 'yes' }, /^AUTH_DISABLED must be true or false/],
    [{ USAGE_LIMIT_REQUESTS: '-1' }, /^USAGE_LIMIT_REQUESTS/],
    [{ USAGE_LIMIT_WINDOW_SECONDS: '0' }, /^USAGE_LIMIT_WINDOW_SECONDS/],
    [{ CACHE_TTL_SECONDS: '1.5' }, /^CACHE_TTL_SECONDS/],
    [{ CACHE_STALE_SECONDS: 'x' }, /^CACHE_STALE_SECONDS/],
    [{ CACHE_STALE_IF_ERROR_SECONDS: '-1' }, /^CACHE_STALE_IF_ERROR_SECONDS must be a whole number/],
    [{ USAGE_LIMIT_ON_REDIS_ERROR: 'shut' }, /^USAGE_LIMIT_ON_REDIS_ERROR must be open or closed, got "shut" \(example: USAGE_LIMIT_ON_REDIS_ERROR=closed\)$/],
    [{ CACHE_BYPASS_CLIENTS: 'billing,bilING' }, /^CACHE_BYPASS_CLIENTS names "bilING", which is not a client of API_KEYS or API_KEY_SHA256 .*\(clients: billing\) \(example: CACHE_BYPASS_CLIENTS=billing\)$/],
    [{ CACHE_BYPASS_CLIENTS: 'anonymous' }, /^CACHE_BYPASS_CLIENTS names "anonymous".*anonymous only with AUTH_DISABLED=true/],
    [{ PROVIDER_TIMEOUT_MS: '10' }, /^PROVIDER_TIMEOUT_MS/],
    [{ REQUEST_TIMEOUT_MS: 'soon' }, /^REQUEST_TIMEOUT_MS/],
    [{ REDIS_URL: 'http://localhost' }, /^REDIS_URL is not a redis/],
    [{ REDIS_CLUSTER_NODES: 'a:b' }, /^REDIS_CLUSTER_NODES has "a:b"/],
    [{ REDIS_SENTINELS: '10.0.0.1:26379' }, /^REDIS_SENTINEL_NAME is required/],
    [{ PROVIDER_PRIORITY: 'acme' }, /^PROVIDER_PRIORITY names an unknown provider "acme"/],
    [{ API_KEYS: 'nocolon' }, /^API_KEYS has an entry that is not client:key/],
    [{ API_KEY_SHA256: 'crm:xyz' }, /^API_KEY_SHA256 has an entry/],
  ])('reports %p as one clear line', (env, line) => {
    const lines = problems({ ...KEYS, ...(env as Record<string, string>) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line as RegExp);
    expect(lines[0]).toMatch(/\(example: /);
  });

  it('stops start-up on a key shorter than 16 characters, naming the entry but not the key', () => {
    for (const key of ['k_live_1234', 'k_live_0123456', '']) {
      const lines = problems({ API_KEYS: `crm:k_live_0123456789ab,billing:${key}` });
      expect(lines).toEqual([expect.stringMatching(/^API_KEYS has an entry .*a key of at least 16 characters \(entry 2, client billing\) \(example: API_KEYS=/)]);
      if (key) expect(lines[0]).not.toContain(key);
    }
    expect(problems({ API_KEYS: 'billing:k_live_0123456789' })).toEqual([]);
    // The examples the messages give are valid keys themselves.
    const example = /\(example: API_KEYS=(.+)\)$/.exec(problems({ API_KEYS: 'x:short' })[0])![1];
    expect(problems({ API_KEYS: example })).toEqual([]);
    const emptyExample = /\(example: API_KEYS=(.+)\)$/.exec(problems({})[0])![1];
    expect(problems({ API_KEYS: emptyExample })).toEqual([]);
  });

  it('reads who may bypass the cache and what usage limits do while Redis is away', () => {
    const c = loadConfig({ API_KEYS: 'billing:k_live_0123456789ab,crm:k_live_ba9876543210', CACHE_BYPASS_CLIENTS: ' crm , crm', USAGE_LIMIT_ON_REDIS_ERROR: 'Closed' }, PROVIDER_DEFINITIONS);
    expect(c.cache.bypassClients).toEqual(['crm']);
    expect(c.usage.onRedisError).toBe('closed');
    // With AUTH_DISABLED the anonymous client is a client like the others: named, its bypass is honoured.
    expect(loadConfig({ AUTH_DISABLED: 'true', CACHE_BYPASS_CLIENTS: 'anonymous' }, PROVIDER_DEFINITIONS).cache.bypassClients).toEqual(['anonymous']);
    expect(loadConfig({ ...KEYS, CACHE_STALE_IF_ERROR_SECONDS: '0' }, PROVIDER_DEFINITIONS).cache.staleIfErrorSeconds).toBe(0);
  });

  it('reports every wrong variable at once', () => {
    expect(problems({ ...KEYS, PORT: 'x', LOG_LEVEL: 'y', CACHE_TTL_SECONDS: 'z' })).toHaveLength(3);
  });

  it('reads the Redis modes, cluster first', () => {
    expect(loadConfig({ ...KEYS, REDIS_URL: 'redis://127.0.0.1:6379/0' }, PROVIDER_DEFINITIONS).redis).toEqual({ mode: 'single', url: 'redis://127.0.0.1:6379/0', security: {} });
    expect(loadConfig({ ...KEYS, REDIS_URL: 'redis://x', REDIS_CLUSTER_NODES: 'a:7000,b:7001' }, PROVIDER_DEFINITIONS).redis).toEqual({
      mode: 'cluster',
      nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }],
      security: {},
    });
    expect(loadConfig({ ...KEYS, REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'mymaster' }, PROVIDER_DEFINITIONS).redis).toEqual({
      mode: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'mymaster',
      security: {},
    });
  });

  describe('Redis credentials and TLS', () => {
    let dir: string;
    let ca: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ng-config-'));
      ca = join(dir, 'ca.pem');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      writeFileSync(join(dir, 'not-a-cert.pem'), 'hello');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('applies the same user, password and TLS to every topology', () => {
      const security = { REDIS_USERNAME: 'app', REDIS_PASSWORD: 'app-password', REDIS_TLS: 'true', REDIS_TLS_CA_FILE: ca };
      const expected = { username: 'app', password: 'app-password', tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') } };
      expect(loadConfig({ ...KEYS, ...security, REDIS_URL: 'redis://r:6379/0' }, PROVIDER_DEFINITIONS).redis?.security).toEqual(expected);
      expect(loadConfig({ ...KEYS, ...security, REDIS_CLUSTER_NODES: 'a:7000' }, PROVIDER_DEFINITIONS).redis?.security).toEqual(expected);
      expect(loadConfig({ ...KEYS, ...security, REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm', REDIS_SENTINEL_PASSWORD: 'sentinel-pw' }, PROVIDER_DEFINITIONS).redis?.security).toEqual({
        ...expected,
        sentinelPassword: 'sentinel-pw',
      });
    });

    it('moves the credentials of REDIS_URL out of the URL, decoded; rediss:// turns TLS on', () => {
      const c = loadConfig({ ...KEYS, REDIS_URL: 'rediss://app:p%40ss%2Fword@r.example:6380/2' }, PROVIDER_DEFINITIONS);
      expect(c.redis).toEqual({ mode: 'single', url: 'rediss://r.example:6380/2', security: { username: 'app', password: 'p@ss/word', tls: {} } });
      expect(loadConfig({ ...KEYS, REDIS_URL: 'redis://:only-a-password@r:6379' }, PROVIDER_DEFINITIONS).redis?.security).toEqual({ password: 'only-a-password' });
    });

    it('counts the Redis passwords among the secrets every log line and answer is scrubbed of', () => {
      const c = loadConfig({ ...KEYS, REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm', REDIS_PASSWORD: 'redis-pw-1', REDIS_SENTINEL_PASSWORD: 'sentinel-pw-2' }, PROVIDER_DEFINITIONS);
      expect(c.secrets).toEqual(expect.arrayContaining(['redis-pw-1', 'sentinel-pw-2']));
      expect(loadConfig({ ...KEYS, REDIS_URL: 'redis://u:url-pw-3@r:6379' }, PROVIDER_DEFINITIONS).secrets).toContain('url-pw-3');
    });

    it.each([
      [{ REDIS_URL: 'redis://u:p@r:6379', REDIS_PASSWORD: 'p2' }, /^REDIS_PASSWORD is set and REDIS_URL carries a password too/],
      [{ REDIS_URL: 'redis://u:p@r:6379', REDIS_USERNAME: 'v' }, /^REDIS_USERNAME is set and REDIS_URL carries a user too/],
      [{ REDIS_URL: 'redis://r:6379', REDIS_USERNAME: 'app' }, /^REDIS_PASSWORD is required with the ACL user "app"/],
      [{ REDIS_URL: 'redis://r:6379', REDIS_SENTINEL_PASSWORD: 'x' }, /^REDIS_SENTINEL_PASSWORD is set but REDIS_SENTINELS is not/],
      [{ REDIS_URL: 'redis://r:6379', REDIS_TLS: 'yes' }, /^REDIS_TLS must be true or false, got "yes"/],
      [{ REDIS_URL: 'rediss://r:6379', REDIS_TLS: 'false' }, /^REDIS_TLS is false but REDIS_URL is a rediss:\/\/ \(TLS\) URL/],
      [{ REDIS_URL: 'redis://r:6379', REDIS_TLS_CA_FILE: '/etc/hosts' }, /^REDIS_TLS_CA_FILE is set but TLS is off/],
      [{ REDIS_URL: 'redis://r:6379', REDIS_TLS: 'true', REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' }, /^REDIS_TLS_CA_FILE names "\/nonexistent\/ca.pem", which cannot be read \(ENOENT\)/],
      [{ REDIS_PASSWORD: 'p' }, /^REDIS_PASSWORD is set but no Redis is configured/],
    ])('reports %p as one clear line', (env, line) => {
      const lines = problems({ ...KEYS, ...(env as Record<string, string>) });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line as RegExp);
      expect(lines[0]).toMatch(/\(example: /);
    });

    it('refuses a CA file that holds no certificate', () => {
      expect(problems({ ...KEYS, REDIS_URL: 'redis://r:6379', REDIS_TLS: 'true', REDIS_TLS_CA_FILE: join(dir, 'not-a-cert.pem') })).toEqual([
        expect.stringMatching(/^REDIS_TLS_CA_FILE names ".*not-a-cert.pem", which holds no PEM certificate/),
      ]);
    });

    it('never repeats a password in a problem line', () => {
      const lines = problems({ ...KEYS, REDIS_URL: 'redis://u:secret-in-url@r:6379', REDIS_PASSWORD: 'secret-in-env', REDIS_TLS: 'maybe' });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toMatch(/secret-in-(url|env)/);
    });
  });

  describe('the memory budget', () => {
    it('leaves MEMORY_BUDGET_MB to its default (a fraction of the heap limit) unless it is set', () => {
      expect(loadConfig(KEYS, PROVIDER_DEFINITIONS).memory).toEqual({ budgetBytes: undefined });
      expect(loadConfig({ ...KEYS, MEMORY_BUDGET_MB: '24' }, PROVIDER_DEFINITIONS).memory).toEqual({ budgetBytes: 24 * 2 ** 20 });
    });

    it('refuses a budget that is not a whole number of MB, or more than V8\'s heap limit, naming the limit', () => {
      expect(problems({ ...KEYS, MEMORY_BUDGET_MB: '24MB' })).toEqual([expect.stringMatching(/^MEMORY_BUDGET_MB must be a whole number from 1 to \d+, got "24MB" \(example: MEMORY_BUDGET_MB=\d+\)$/)]);
      expect(problems({ ...KEYS, MEMORY_BUDGET_MB: '0' })).toHaveLength(1);
      const list = new ConfigProblemList();
      expect(readMemoryConfig({ MEMORY_BUDGET_MB: '200' }, list, 134 * 2 ** 20)).toEqual({ budgetBytes: undefined });
      expect(list.lines()).toEqual(['MEMORY_BUDGET_MB must be a whole number from 1 to 134, got "200" (example: MEMORY_BUDGET_MB=26)']);
    });
  });

  describe('shutdown and the management listener', () => {
    it('waits REQUEST_TIMEOUT_MS + 1 s on SIGTERM unless SHUTDOWN_GRACE_MS says otherwise', () => {
      expect(loadConfig(KEYS, PROVIDER_DEFINITIONS).shutdownGraceMs).toBe(6000);
      expect(loadConfig({ ...KEYS, REQUEST_TIMEOUT_MS: '300000' }, PROVIDER_DEFINITIONS).shutdownGraceMs).toBe(301_000);
      expect(loadConfig({ ...KEYS, REQUEST_TIMEOUT_MS: '300000', SHUTDOWN_GRACE_MS: '20000' }, PROVIDER_DEFINITIONS).shutdownGraceMs).toBe(20_000);
      expect(problems({ ...KEYS, SHUTDOWN_GRACE_MS: '10s' })).toEqual([expect.stringMatching(/^SHUTDOWN_GRACE_MS must be a whole number .* got "10s" \(example: SHUTDOWN_GRACE_MS=6000\)$/)]);
    });

    it('serves /metrics and /health on the API listener unless MANAGEMENT_PORT is set', () => {
      expect(loadConfig(KEYS, PROVIDER_DEFINITIONS).management).toBeUndefined();
      expect(loadConfig({ ...KEYS, HOST: '10.0.0.5', MANAGEMENT_PORT: '9090' }, PROVIDER_DEFINITIONS).management).toEqual({ port: 9090, host: '10.0.0.5' });
      expect(loadConfig({ ...KEYS, MANAGEMENT_PORT: '9090', MANAGEMENT_HOST: '127.0.0.1' }, PROVIDER_DEFINITIONS).management).toEqual({ port: 9090, host: '127.0.0.1' });
    });

    it.each([
      [{ MANAGEMENT_PORT: 'ninety' }, /^MANAGEMENT_PORT must be a whole number from 1 to 65535, got "ninety"/],
      [{ MANAGEMENT_PORT: '3000' }, /^MANAGEMENT_PORT is the API's port \(PORT=3000\)/],
      [{ MANAGEMENT_HOST: '127.0.0.1' }, /^MANAGEMENT_HOST is set without MANAGEMENT_PORT/],
    ])('reports %p as one clear line', (env, line) => {
      const lines = problems({ ...KEYS, ...(env as Record<string, string>) });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line as RegExp);
      expect(lines[0]).toMatch(/\(example: /);
    });
  });

  it('knows the Basic pair each carrier is sent', () => {
    const c = loadConfig({ ...KEYS, TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: 'tw-token', TELNYX_API_KEY: 'KEY123456' }, PROVIDER_DEFINITIONS);
    expect(c.basicCredentials).toEqual([{ user: 'AC0123456789abcdef0123456789abcdef', secret: 'tw-token' }]);
  });
});

describe('orders configuration', () => {
  it('applies the documented defaults: nobody may order, 10 orders an hour, followed for a day, PGlite in memory', () => {
    const c = loadConfig(KEYS, PROVIDER_DEFINITIONS);
    expect(c.orders).toEqual({ clients: [], limit: { requests: 10, windowSeconds: 3600 }, giveUpSeconds: 86_400 });
    expect(c.ledger).toEqual({ kind: 'pglite' });
  });

  it('reads ORDER_CLIENTS, the order limit and the give-up time', () => {
    const c = loadConfig(
      { API_KEYS: 'billing:k_live_0123456789ab,crm:k_live_9876543210ab', ORDER_CLIENTS: ' billing , crm,billing', ORDER_LIMIT_REQUESTS: '3', ORDER_LIMIT_WINDOW_SECONDS: '60', ORDER_GIVE_UP_SECONDS: '600' },
      PROVIDER_DEFINITIONS,
    );
    expect(c.orders).toEqual({ clients: ['billing', 'crm'], limit: { requests: 3, windowSeconds: 60 }, giveUpSeconds: 600 });
    // AUTH_DISABLED lets requests in as "anonymous", which may then be allowed to order.
    expect(loadConfig({ AUTH_DISABLED: 'true', ORDER_CLIENTS: 'anonymous' }, PROVIDER_DEFINITIONS).orders.clients).toEqual(['anonymous']);
  });

  it('stops start-up on a client no key belongs to, and on limits that are not whole numbers', () => {
    expect(problems({ ...KEYS, ORDER_CLIENTS: 'biling', ORDER_LIMIT_REQUESTS: '-1', ORDER_LIMIT_WINDOW_SECONDS: '0', ORDER_GIVE_UP_SECONDS: '1.5' })).toEqual([
      expect.stringMatching(/^ORDER_CLIENTS names "biling", which is not a client of API_KEYS or API_KEY_SHA256 \(clients: billing\) \(example: ORDER_CLIENTS=billing\)$/),
      expect.stringMatching(/^ORDER_LIMIT_REQUESTS must be a whole number/),
      expect.stringMatching(/^ORDER_LIMIT_WINDOW_SECONDS must be a whole number/),
      expect.stringMatching(/^ORDER_GIVE_UP_SECONDS must be a whole number/),
    ]);
  });

  it('reads DATABASE_URL, keeps its password out of every message and scrubs it as a secret', () => {
    const url = 'postgres://numbers:s3cret-db-pass@db.internal:5432/numbers';
    const c = loadConfig({ ...KEYS, DATABASE_URL: url }, PROVIDER_DEFINITIONS);
    expect(c.ledger).toEqual({ kind: 'postgres', url, password: 's3cret-db-pass' });
    expect(c.secrets).toContain('s3cret-db-pass');
    const wrong = problems({ ...KEYS, DATABASE_URL: 'mysql://numbers:s3cret-db-pass@db/x' });
    expect(wrong).toEqual([expect.stringMatching(/^DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//)]);
    expect(problems({ ...KEYS, DATABASE_URL: 'not a url s3cret-db-pass' }).join()).not.toContain('s3cret-db-pass');
  });

  it('keeps PGlite in PGLITE_DIR, and refuses PGLITE_DIR beside DATABASE_URL', () => {
    expect(loadConfig({ ...KEYS, PGLITE_DIR: '/var/lib/numbers' }, PROVIDER_DEFINITIONS).ledger).toEqual({ kind: 'pglite', dir: '/var/lib/numbers' });
    expect(problems({ ...KEYS, PGLITE_DIR: '/x', DATABASE_URL: 'postgres://127.0.0.1/numbers' })).toEqual([expect.stringMatching(/^PGLITE_DIR is set together with DATABASE_URL/)]);
  });
});
