import { startApp, type RunningApp } from '../support/app';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe('GET /metrics', () => {
  it('serves Prometheus text without a key, counting requests by route pattern and status', async () => {
    await app.get('/numbers/available?countryCode=US');
    await app.get('/numbers/available?countryCode=USA');
    await app.get('/no/such/route/12345');
    const res = await app.get('/metrics', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/numbers\/available",status="200"\} 1/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/numbers\/available",status="400"\} 1/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).not.toContain('12345');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/numbers\/available",status="200"\}/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text).toContain('# TYPE provider_calls_total counter');
    expect(text).toContain('# TYPE provider_circuit_state gauge');
  });
});
