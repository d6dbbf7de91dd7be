import { baseEnv, startApp, type RunningApp } from '../support/app';
import { freePort } from '../support/redis';

/**
 * MANAGEMENT_PORT moves /metrics and /health/* to a listener of their own: the API's port answers them as
 * unknown routes, and the management port answers nothing but them.
 */
describe('a separate management listener', () => {
  let app: RunningApp;
  let managementPort: number;
  beforeAll(async () => {
    managementPort = await freePort();
    app = await startApp(baseEnv({ MANAGEMENT_PORT: String(managementPort), MANAGEMENT_HOST: '127.0.0.1' }));
  });
  afterAll(() => app.close());

  const onApi = (path: string) => fetch(`${app.url}${path}`);
  const onManagement = (path: string) => fetch(`http://127.0.0.1:${managementPort}${path}`);

  it('serves /metrics, /health/live and /health/ready on the management port, without a key', async () => {
    expect(app.managementUrl).toBe(`http://127.0.0.1:${managementPort}`);
    const metrics = await onManagement('/metrics');
    expect([metrics.status, metrics.headers.get('content-type')]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect(await metrics.text()).toContain('http_requests_total');
    expect((await onManagement('/health/live')).status).toBe(200);
    const ready = await onManagement('/health/ready');
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe('ok');
  });

  it.each(['/metrics', '/health/live', '/health/ready', '/health/ready?x=1', '/%6Detrics', '/health/%72eady'])(
    'answers %s on the API port with the 404 envelope of an unknown route',
    async (path) => {
      const res = await onApi(path);
      expect(res.status).toBe(404);
      const body = (await res.json()) as { trackingId: string; error: { code: string; message: string; fix: string } };
      expect(body.trackingId).toBe(res.headers.get('x-tracking-id'));
      expect(body.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/^No route matches GET /), fix: expect.any(String) });
      expect(JSON.stringify(body)).not.toMatch(/management|MANAGEMENT_PORT/);
    },
  );

  it('answers nothing but /metrics and /health/* on the management port', async () => {
    for (const path of ['/numbers/available?countryCode=US', '/openapi.json', '/docs', '/nope']) {
      const res = await fetch(`http://127.0.0.1:${managementPort}${path}`, { headers: app.authHeaders });
      expect({ path, status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code }).toEqual({ path, status: 404, code: 'not_found' });
    }
  });

  it('keeps serving the API on the API port, and counts its requests in the metrics the management port serves', async () => {
    const search = await app.get('/numbers/available?countryCode=US&limit=1');
    expect(search.status).toBe(200);
    const metrics = await (await onManagement('/metrics')).text();
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/numbers\/available",status="200"\} [1-9]/);
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/metrics",status="404"\} [1-9]/);
  });

  it('stops with the application', async () => {
    const other = await startApp(baseEnv({ MANAGEMENT_PORT: String(await freePort()), MANAGEMENT_HOST: '127.0.0.1' }));
    const url = other.managementUrl!;
    // A keep-alive connection is open on the management port when the application closes.
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    await other.close();
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});

describe('without MANAGEMENT_PORT', () => {
  it('serves /metrics and /health/* on the API port', async () => {
    const app = await startApp(baseEnv());
    try {
      expect(app.managementUrl).toBeUndefined();
      expect((await app.get('/metrics', {})).status).toBe(200);
      expect((await app.get('/health/ready', {})).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
