import { loadConfig } from '../../src/config/app-config';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';
import { ConfigError } from '../../src/config/config-problems';

const KEYS = { API_KEYS: 'billing:k_live_1234' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, PROVIDER_DEFINITIONS);
  } catch (e) {
    if (e instanceof ConfigError) return e.lines;
    throw e;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(KEYS, PROVIDER_DEFINITIONS);
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      auth: { disabled: false },
      usage: { limit: 0, windowSeconds: 60 },
      redis: undefined,
      cache: { ttlSeconds: 60, staleSeconds: 0 },
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

  it('reports every wrong variable at once', () => {
    expect(problems({ ...KEYS, PORT: 'x', LOG_LEVEL: 'y', CACHE_TTL_SECONDS: 'z' })).toHaveLength(3);
  });

  it('reads the Redis modes, cluster first', () => {
    expect(loadConfig({ ...KEYS, REDIS_URL: 'redis://127.0.0.1:6379/0' }, PROVIDER_DEFINITIONS).redis).toEqual({ mode: 'single', url: 'redis://127.0.0.1:6379/0' });
    expect(loadConfig({ ...KEYS, REDIS_URL: 'redis://x', REDIS_CLUSTER_NODES: 'a:7000,b:7001' }, PROVIDER_DEFINITIONS).redis).toEqual({
      mode: 'cluster',
      nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }],
    });
    expect(loadConfig({ ...KEYS, REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'mymaster' }, PROVIDER_DEFINITIONS).redis).toEqual({
      mode: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'mymaster',
    });
  });
});
