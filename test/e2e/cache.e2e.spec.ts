import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, OTHER_KEY, startApp, type RunningApp } from '../support/app';
import { deletePrefix, keysOf, SHARED_REDIS_URL, uniquePrefix } from '../support/redis';

/** The cache against the real Redis on 127.0.0.1:6379, under a key prefix of this run. */
const CARRIERS = ['telnyx', 'twilio'];
let emu: EmulatorServer;
const prefixes: string[] = [];
const apps: RunningApp[] = [];

async function app(env: Record<string, string> = {}): Promise<RunningApp & { prefix: string }> {
  const prefix = env.REDIS_KEY_PREFIX ?? uniquePrefix('cache');
  prefixes.push(prefix);
  const a = await startApp(baseEnv({ ...emu.env(), REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix, CIRCUIT_BREAKER_THRESHOLD: '1000', ...env }));
  apps.push(a);
  return Object.assign(a, { prefix });
}

const calls = () => Object.fromEntries(CARRIERS.map((c) => [c, emu.requests(c).length]));

beforeAll(async () => {
  emu = await startEmulators({ carriers: CARRIERS });
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await emu.close();
  await Promise.all(prefixes.map((p) => deletePrefix(p)));
});
beforeEach(() => emu.reset());

const Q = '/numbers/available?countryCode=US&areaCode=415&features=sms,voice&limit=5';

describe('cache hits and misses', () => {
  it('answers a repeated search from Redis without calling the carriers', async () => {
    const a = await app();
    const first = await a.get(Q);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
    const second = await a.get(Q);
    expect(second.headers.get('x-cache')).toBe('HIT');
    const body = await first.text();
    expect(await second.text()).toBe(body);
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
    // Another instance on the same Redis (which has no in-process memo of it) answers from Redis too.
    const other = await app({ REDIS_KEY_PREFIX: a.prefix });
    const third = await other.get(Q);
    expect(third.headers.get('x-cache')).toBe('HIT');
    expect(await third.text()).toBe(body);
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
  });

  it('shares one entry between spellings of the same query, under versioned canonical keys', async () => {
    const a = await app();
    await a.get('/numbers/available?countryCode=us&features=voice,sms&limit=4');
    const again = await a.get('/numbers/available?countryCode=US&features=SMS,Voice,sms&limit=4');
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
    // The offers of the numbers returned (src/offers) have keys of their own.
    expect((await keysOf(a.prefix)).filter((k) => !k.includes(':offer:')).sort()).toEqual([
      `${a.prefix}:v1:answer:{US:local::sms,voice:4}:telnyx`,
      `${a.prefix}:v1:answer:{US:local::sms,voice:4}:twilio`,
    ]);
  });

  it('expires answers after CACHE_TTL_SECONDS', async () => {
    const a = await app({ CACHE_TTL_SECONDS: '1' });
    await a.get(Q);
    expect((await a.get(Q)).headers.get('x-cache')).toBe('HIT');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await a.get(Q)).headers.get('x-cache')).toBe('MISS');
    expect(calls()).toEqual({ telnyx: 2, twilio: 2 });
  });

  it('serves a stale answer while one background refresh runs', async () => {
    const a = await app({ CACHE_TTL_SECONDS: '1', CACHE_STALE_SECONDS: '60' });
    const first = await (await a.get(Q)).text();
    await new Promise((r) => setTimeout(r, 1100));
    emu.setBehaviour('twilio', { latencyMs: 300 });
    const stale = await Promise.all([a.get(Q), a.get(Q), a.get(Q)]);
    for (const r of stale) expect(r.headers.get('x-cache')).toBe('STALE');
    expect(await stale[0].text()).toBe(first);
    // Once the refresh has stored its answer, the search is a hit again.
    let status = 'STALE';
    for (let i = 0; i < 50 && status !== 'HIT'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await a.get(Q)).headers.get('x-cache')!;
    }
    expect(status).toBe('HIT');
    // One refresh per carrier, not one per stale answer.
    expect(calls()).toEqual({ telnyx: 2, twilio: 2 });
  });

  it('bypasses the cache for Cache-Control: no-cache, and stores the fresh answer', async () => {
    const a = await app();
    await a.get(Q);
    const bypass = await a.get(Q, { ...a.authHeaders, 'cache-control': 'no-cache' });
    expect(bypass.headers.get('x-cache')).toBe('MISS');
    expect(calls()).toEqual({ telnyx: 2, twilio: 2 });
    expect((await a.get(Q)).headers.get('x-cache')).toBe('HIT');
  });

  it('ignores Cache-Control: no-cache from a client CACHE_BYPASS_CLIENTS does not name, and says so', async () => {
    const a = await app();
    expect((await a.get(Q)).headers.get('x-cache')).toBe('MISS');
    const crm = { 'x-api-key': OTHER_KEY };
    for (const cacheControl of ['no-cache', 'max-age=0, No-Cache']) {
      const ignored = await a.get(Q, { ...crm, 'cache-control': cacheControl });
      expect([ignored.status, ignored.headers.get('x-cache'), ignored.headers.get('x-cache-bypass')]).toEqual([200, 'HIT', 'ignored']);
    }
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
    // Without the header, or from a client that may bypass, there is nothing to say.
    expect((await a.get(Q, crm)).headers.get('x-cache-bypass')).toBeNull();
    const honoured = await a.get(Q, { ...a.authHeaders, 'cache-control': 'no-cache' });
    expect([honoured.headers.get('x-cache'), honoured.headers.get('x-cache-bypass')]).toEqual(['MISS', null]);
    expect(calls()).toEqual({ telnyx: 2, twilio: 2 });
    const metrics = await (await a.get('/metrics', {})).text();
    expect(metrics).toContain('cache_bypass_ignored_total{client="crm"} 2');
    expect(metrics).not.toContain('cache_bypass_ignored_total{client="billing"}');
  });

  it('caches each carrier on its own: after a partial failure only the failed carrier is asked again', async () => {
    const a = await app();
    emu.setBehaviour('twilio', { fault: { type: 'error', status: 500 } });
    const partial = await a.get(Q);
    expect(partial.status).toBe(200);
    expect(partial.headers.get('x-provider-errors')).toBe('twilio=unavailable');
    emu.setBehaviour('twilio', { fault: { type: 'none' } });
    emu.clearRequests();
    const retry = await a.get(Q);
    expect(retry.headers.get('x-provider-errors')).toBeNull();
    expect(calls()).toEqual({ telnyx: 0, twilio: 1 });
    expect((await a.get(Q)).headers.get('x-cache')).toBe('HIT');
  });
});

describe('stale if error', () => {
  const staleIfError = (a: RunningApp) => a.get('/metrics', {}).then(async (r) => /cache_lookups_total\{result="stale_if_error"\} (\d+)/.exec(await r.text())?.[1] ?? '0');
  const expire = () => new Promise((r) => setTimeout(r, 1100));

  it('answers for a carrier that cannot be asked with its last answer, as STALE', async () => {
    const a = await app({ CACHE_TTL_SECONDS: '1', PROVIDER_MAX_RETRIES: '0' });
    const first = await (await a.get(Q)).text();
    await expire();
    emu.setBehaviour('twilio', { fault: { type: 'error', status: 503 } });
    const stale = await a.get(Q);
    expect([stale.status, stale.headers.get('x-cache'), stale.headers.get('x-provider-errors')]).toEqual([200, 'STALE', null]);
    expect(await stale.text()).toBe(first);
    // The carrier was asked (and failed), the healthy one answered afresh.
    expect(calls()).toEqual({ telnyx: 2, twilio: 2 });
    expect(await staleIfError(a)).toBe('1');
  });

  it('hands the last answer over before the deadline of a carrier that does not answer in time', async () => {
    const a = await app({ CACHE_TTL_SECONDS: '1', PROVIDER_TIMEOUT_MS: '800', PROVIDER_MAX_RETRIES: '0' });
    const first = await (await a.get(Q)).text();
    await expire();
    emu.setBehaviour('twilio', { fault: { type: 'hang' } });
    const stale = await a.get(Q);
    expect([stale.status, stale.headers.get('x-cache'), stale.headers.get('x-provider-errors')]).toEqual([200, 'STALE', null]);
    expect(await stale.text()).toBe(first);
  });

  it('reports the failure when the carrier refused the question, when the caller bypassed the cache, or when it is off', async () => {
    const a = await app({ CACHE_TTL_SECONDS: '1', PROVIDER_MAX_RETRIES: '0' });
    await a.get(Q);
    await expire();
    emu.setBehaviour('twilio', { fault: { type: 'error', status: 401 } });
    expect((await a.get(Q)).headers.get('x-provider-errors')).toBe('twilio=auth_failed');
    emu.setBehaviour('twilio', { fault: { type: 'error', status: 503 } });
    const bypass = await a.get(Q, { ...a.authHeaders, 'cache-control': 'no-cache' });
    expect([bypass.headers.get('x-cache'), bypass.headers.get('x-provider-errors')]).toEqual(['MISS', 'twilio=unavailable']);
    expect(await staleIfError(a)).toBe('0');

    const off = await app({ CACHE_TTL_SECONDS: '1', CACHE_STALE_IF_ERROR_SECONDS: '0', PROVIDER_MAX_RETRIES: '0' });
    emu.setBehaviour('twilio', { fault: { type: 'none' } });
    await off.get(Q);
    await expire();
    emu.setBehaviour('twilio', { fault: { type: 'error', status: 503 } });
    expect((await off.get(Q)).headers.get('x-provider-errors')).toBe('twilio=unavailable');
  });
});

describe('no stampede', () => {
  it('50 identical searches on an empty cache make one call per carrier', async () => {
    const a = await app();
    for (const c of CARRIERS) emu.setBehaviour(c, { latencyMs: 200 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => a.get(Q)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
  });

  it('also across two instances sharing Redis', async () => {
    const prefix = uniquePrefix('stampede');
    const [a, b] = await Promise.all([app({ REDIS_KEY_PREFIX: prefix }), app({ REDIS_KEY_PREFIX: prefix })]);
    for (const c of CARRIERS) emu.setBehaviour(c, { latencyMs: 200 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).get(Q)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = new Set(await Promise.all(answers.map((r) => r.text())));
    expect(bodies.size).toBe(1);
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
  });
});

describe('usage limits', () => {
  it('refuses past the limit with 402, Retry-After and rate-limit headers on every answer', async () => {
    const a = await app({ USAGE_LIMIT_REQUESTS: '2', USAGE_LIMIT_WINDOW_SECONDS: '60' });
    const first = await a.get(Q);
    expect(first.status).toBe(200);
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    const second = await a.get(Q);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    const third = await a.get(Q);
    expect(third.status).toBe(402);
    const body = (await third.json()) as { trackingId: string; error: { code: string; fix: string } };
    expect(body.error.code).toBe('usage_limit_exceeded');
    expect(body.error.fix).toMatch(/Retry after \d+ seconds/);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.headers.get('x-ratelimit-remaining')).toBe('0');
    // Another client has its own count; an invalid query does not count.
    expect((await a.get(Q, { 'x-api-key': 'k_test_other_98765' })).status).toBe(200);
    expect((await a.get('/numbers/available?countryCode=USA', { 'x-api-key': 'k_test_other_98765' })).status).toBe(400);
    expect((await a.get(Q, { 'x-api-key': 'k_test_other_98765' })).status).toBe(200);
  });

  it('asks no carrier for a refused search, even one the cache cannot answer', async () => {
    const a = await app({ USAGE_LIMIT_REQUESTS: '1' });
    expect((await a.get(Q)).status).toBe(200);
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
    const refused = await a.get('/numbers/available?countryCode=US&areaCode=718&limit=5');
    expect(refused.status).toBe(402);
    expect(refused.headers.get('x-cache')).toBeNull();
    // Give a stray carrier call the time to arrive before counting.
    await new Promise((r) => setTimeout(r, 100));
    expect(calls()).toEqual({ telnyx: 1, twilio: 1 });
  });

  it('sends the rate-limit headers with a 502 too, and none when no limit is set', async () => {
    const limited = await app({ USAGE_LIMIT_REQUESTS: '5' });
    for (const c of CARRIERS) emu.setBehaviour(c, { fault: { type: 'error', status: 500 } });
    const failed = await limited.get(Q);
    expect(failed.status).toBe(502);
    expect([failed.headers.get('x-ratelimit-limit'), failed.headers.get('x-ratelimit-remaining')]).toEqual(['5', '4']);
    for (const c of CARRIERS) emu.setBehaviour(c, { fault: { type: 'none' } });
    const unlimited = await app();
    const ok = await unlimited.get(Q);
    expect(ok.status).toBe(200);
    expect(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map((h) => ok.headers.get(h))).toEqual([null, null, null]);
  });

  it('is exact under concurrency across two instances: 150 requests, limit 100, exactly 100 served', async () => {
    const prefix = uniquePrefix('usage');
    const env = { REDIS_KEY_PREFIX: prefix, USAGE_LIMIT_REQUESTS: '100', USAGE_LIMIT_WINDOW_SECONDS: '120' };
    const [a, b] = await Promise.all([app(env), app(env)]);
    const statuses = await Promise.all(Array.from({ length: 150 }, (_, i) => (i % 2 ? a : b).get(Q).then((r) => r.status)));
    expect(statuses.filter((s) => s !== 402)).toHaveLength(100);
    expect(statuses.filter((s) => s === 402)).toHaveLength(50);
  });
});
