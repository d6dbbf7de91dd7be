import { search, startStack, type Stack } from '../support/stack';

/** Retries, circuit breakers and the carrier capacity, driven by real emulators over HTTP. */
describe('retries', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ PROVIDER_TIMEOUT_MS: '3000', REQUEST_TIMEOUT_MS: '4000' }, ['twilio']);
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emu.reset());

  it('retries a transient failure and answers as if nothing happened', async () => {
    stack.emu.setBehaviour('twilio', { fault: { type: 'error', status: 503 }, faultTimes: 2 });
    const r = await search(stack.app, 'countryCode=US&limit=3');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-provider-errors')).toBeNull();
    expect(stack.emu.requests('twilio').map((q) => q.outcome)).toEqual(['error', 'error', 'answered']);
  });

  it('retries connection resets', async () => {
    stack.emu.setBehaviour('twilio', { fault: { type: 'reset' }, faultTimes: 1 });
    expect((await search(stack.app, 'countryCode=US&limit=3')).status).toBe(200);
    expect(stack.emu.requests('twilio')).toHaveLength(2);
  });

  it('gives up after the configured retries', async () => {
    stack.emu.setBehaviour('twilio', { fault: { type: 'error', status: 500 } });
    const r = await search(stack.app, 'countryCode=US&limit=3');
    expect(r.status).toBe(502);
    expect(stack.emu.requests('twilio')).toHaveLength(3);
  });

  it('never retries an authentication or validation failure', async () => {
    stack.emu.setBehaviour('twilio', { fault: { type: 'error', status: 401 } });
    expect((await search(stack.app, 'countryCode=US')).status).toBe(502);
    expect(stack.emu.requests('twilio')).toHaveLength(1);
    stack.emu.reset();
    stack.emu.setBehaviour('twilio', { fault: { type: 'error', status: 400 } });
    expect((await search(stack.app, 'countryCode=US')).status).toBe(502);
    expect(stack.emu.requests('twilio')).toHaveLength(1);
  });

  it('honours Retry-After when it fits in the budget', async () => {
    stack.emu.setBehaviour('twilio', { fault: { type: 'rate_limit', retryAfterSeconds: 1 }, faultTimes: 1 });
    const r = await search(stack.app, 'countryCode=US&limit=3');
    expect(r.status).toBe(200);
    const [first, second] = stack.emu.requests('twilio');
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After does not fit in the budget', async () => {
    stack.emu.setBehaviour('twilio', { fault: { type: 'rate_limit', retryAfterSeconds: 10 }, faultTimes: 1 });
    const r = await search(stack.app, 'countryCode=US&limit=3');
    expect(r.status).toBe(502);
    expect(r.body.error).toMatchObject({ provider: 'twilio', providerCode: '20429', fix: expect.stringContaining('retry after 10 seconds') });
    expect(r.headers.get('retry-after')).toBe('10');
    expect(stack.emu.requests('twilio')).toHaveLength(1);
  });
});

describe('circuit breaker', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(
      { CIRCUIT_BREAKER_THRESHOLD: '3', CIRCUIT_BREAKER_COOLDOWN_MS: '1000', PROVIDER_MAX_RETRIES: '0', PROVIDER_TIMEOUT_MS: '1000' },
      ['telnyx', 'twilio'],
    );
  });
  afterAll(() => stack.close());

  it('opens after repeated failures, skips the carrier, shows in health and metrics, and closes after a good probe', async () => {
    stack.emu.setBehaviour('twilio', { fault: { type: 'error', status: 500 } });
    for (let i = 0; i < 3; i++) expect((await search(stack.app, 'countryCode=US&limit=3')).headers.get('x-provider-errors')).toBe('twilio=unavailable');
    stack.emu.clearRequests('twilio');
    const skipped = await search(stack.app, 'countryCode=US&limit=3');
    expect(skipped.status).toBe(200);
    expect(skipped.headers.get('x-provider-errors')).toBe('twilio=circuit_open');
    expect(stack.emu.requests('twilio')).toHaveLength(0);
    const ready = (await (await stack.app.get('/health/ready', {})).json()) as { details: { providers: { circuits: Record<string, string> } } };
    expect(ready.details.providers.circuits).toEqual({ telnyx: 'closed', twilio: 'open' });
    expect(await (await stack.app.get('/metrics', {})).text()).toMatch(/provider_circuit_state\{provider="twilio"\} 2/);

    stack.emu.setBehaviour('twilio', { fault: { type: 'none' } });
    await new Promise((r) => setTimeout(r, 1100));
    const probe = await search(stack.app, 'countryCode=US&limit=3');
    expect(probe.headers.get('x-provider-errors')).toBeNull();
    expect(stack.emu.requests('twilio')).toHaveLength(1);
    expect(await (await stack.app.get('/metrics', {})).text()).toMatch(/provider_circuit_state\{provider="twilio"\} 0/);
  });

  it('makes readiness 503 only when every carrier\'s circuit is open', async () => {
    for (const c of ['telnyx', 'twilio']) stack.emu.setBehaviour(c, { fault: { type: 'error', status: 503 } });
    for (let i = 0; i < 3; i++) await search(stack.app, 'countryCode=US&limit=3');
    const ready = await stack.app.get('/health/ready', {});
    expect(ready.status).toBe(503);
    const r = await search(stack.app, 'countryCode=US&limit=3');
    expect(r.status).toBe(502);
    expect(r.body.error.providers.map((p: { code: string }) => p.code)).toEqual(['circuit_open', 'circuit_open']);
    expect(r.body.error.fix).toMatch(/paused after repeated failures: retry after \d+ seconds/);
  });
});

describe('carrier capacity', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ PROVIDER_MAX_CONCURRENCY: '2', PROVIDER_TIMEOUT_MS: '6000', REQUEST_TIMEOUT_MS: '8000' }, ['twilio']);
  });
  afterAll(() => stack.close());

  it('queues a client past the capacity up to its queue bound, and refuses the rest as overloaded', async () => {
    stack.emu.setBehaviour('twilio', { latencyMs: 800 });
    const answers = await Promise.all([2, 3, 4, 5, 6].map((limit) => search(stack.app, `countryCode=US&limit=${limit}`)));
    // Two calls run, two wait for their slots, the fifth finds the client's queue full.
    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
    const overloaded = answers.filter((a) => a.status === 502);
    expect(overloaded).toHaveLength(1);
    expect(overloaded[0].body.error.providers).toEqual([
      { provider: 'twilio', code: 'overloaded', message: expect.stringContaining('every slot this client may use is taken (2 of 2 calls in flight) and 2 more of its calls are waiting') },
    ]);
    expect(stack.emu.requests('twilio')).toHaveLength(4);
  });
});
