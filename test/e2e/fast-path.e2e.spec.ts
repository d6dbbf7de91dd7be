import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, OTHER_KEY, startApp, TEST_KEY, type RunningApp } from '../support/app';
import { freePort } from '../support/redis';

/**
 * A repeated search is answered before Nest's pipeline (src/numbers/search-fast-path.ts). These tests hold it
 * to the pipeline's rules: the same answer, the key checked on every request, usage counted, one log line and
 * one metric sample per request, and nothing remembered that the pipeline refused.
 */
const CARRIERS = ['telnyx', 'twilio'];
let emu: EmulatorServer;
const apps: RunningApp[] = [];

async function app(env: Record<string, string> = {}): Promise<RunningApp> {
  const a = await startApp(baseEnv({ ...emu.env(), LOG_LEVEL: 'info', ...env }));
  apps.push(a);
  return a;
}

beforeAll(async () => {
  emu = await startEmulators({ carriers: CARRIERS });
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await emu.close();
});
beforeEach(() => emu.reset());

const Q = '/numbers/available?countryCode=US&areaCode=415&features=sms,voice&limit=5';
/** The same search spelled differently: a query string the fast path has not seen, so the pipeline answers it. */
const SAME_SEARCH = '/numbers/available?limit=5&features=voice,sms&areaCode=415&countryCode=us';
const calls = () => CARRIERS.map((c) => emu.requests(c).length).reduce((a, b) => a + b, 0);

/** The headers of an answer that say something about the search (not the date or the tracking id's value). */
function searchHeaders(res: Response): Record<string, string> {
  const skip = new Set(['date', 'x-tracking-id', 'keep-alive', 'connection']);
  return Object.fromEntries([...res.headers].filter(([name]) => !skip.has(name)));
}

describe('repeated searches answered from memory', () => {
  it('give the answer the pipeline gives, byte for byte, with the same headers', async () => {
    const a = await app();
    const miss = await a.get(Q);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const body = await miss.text();
    const throughPipeline = await a.get(SAME_SEARCH);
    const fromMemory = await a.get(Q);
    expect([throughPipeline.status, fromMemory.status]).toEqual([200, 200]);
    expect(await fromMemory.text()).toBe(body);
    expect(await throughPipeline.text()).toBe(body);
    expect(searchHeaders(fromMemory)).toEqual(searchHeaders(throughPipeline));
    expect(fromMemory.headers.get('x-cache')).toBe('HIT');
    expect(calls()).toBe(2);
  });

  it('carry their own tracking id, their own log line and their own metric sample', async () => {
    const a = await app();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await a.get(Q)).headers.get('x-tracking-id') ?? '');
    expect(new Set(ids).size).toBe(4);
    const requestLines = a.logs.filter((l) => l.msg === 'GET /numbers/available 200');
    expect(requestLines.map((l) => l.trackingId)).toEqual(ids);
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/numbers\/available",status="200"\} 4\n/);
  });

  it('check the key on every request: a query accepted once is not served to a wrong, missing or conflicting key', async () => {
    const a = await app();
    expect((await a.get(Q)).status).toBe(200);
    expect((await a.get(Q)).status).toBe(200);
    const refusals = [
      await a.get(Q, { authorization: 'Bearer k_wrong_0000000000' }),
      await a.get(Q, {}),
      await a.get(Q, { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': OTHER_KEY }),
      await a.get(Q, { authorization: `Basic ${TEST_KEY}` }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    for (const r of refusals) {
      const envelope = (await r.json()) as { error: { code: string; fix: string } };
      expect(envelope.error.code).toBe('unauthorized');
      expect(envelope.error.fix).toBeTruthy();
    }
    // The other client's key is good: its first request goes through the pipeline, its answer is the same.
    expect((await a.get(Q, { 'x-api-key': OTHER_KEY })).status).toBe(200);
    expect((await a.get(Q, { 'x-api-key': OTHER_KEY })).status).toBe(200);
  });

  it('count usage, and refuse past the limit with the same 402 envelope', async () => {
    const a = await app({ USAGE_LIMIT_REQUESTS: '3', USAGE_LIMIT_WINDOW_SECONDS: '60' });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await a.get(Q));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 402]);
    expect(answers.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    const refused = answers[3];
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const envelope = (await refused.json()) as { trackingId: string; error: { code: string; fix: string } };
    expect(envelope.trackingId).toBe(refused.headers.get('x-tracking-id'));
    expect(envelope.error.code).toBe('usage_limit_exceeded');
    expect(envelope.error.fix).toMatch(/Retry after \d+ seconds/);
    // The other client counts on its own.
    expect((await a.get(Q, { 'x-api-key': OTHER_KEY })).status).toBe(200);
  });

  it('never remember what the pipeline refused', async () => {
    const a = await app();
    const bad = '/numbers/available?countryCode=USA&limit=5';
    for (let i = 0; i < 3; i++) {
      const r = await a.get(bad);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('validation_error');
    }
    expect(calls()).toBe(0);
  });

  it('are not answered on the management listener, which serves nothing but /metrics and /health/*', async () => {
    const managementPort = await freePort();
    const a = await app({ MANAGEMENT_PORT: String(managementPort), MANAGEMENT_HOST: '127.0.0.1' });
    expect((await a.get(Q)).status).toBe(200);
    expect((await a.get(Q)).headers.get('x-cache')).toBe('HIT');
    const onManagement = await fetch(`http://127.0.0.1:${managementPort}${Q}`, { headers: a.authHeaders });
    expect(onManagement.status).toBe(404);
    expect(((await onManagement.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('answer HEAD and other methods through the pipeline, as before', async () => {
    const a = await app();
    await a.get(Q);
    const head = await fetch(`${a.url}${Q}`, { method: 'HEAD', headers: a.authHeaders });
    expect(head.status).toBe(200);
    const post = await fetch(`${a.url}${Q}`, { method: 'POST', headers: a.authHeaders });
    expect(post.status).toBe(405);
  });
});
