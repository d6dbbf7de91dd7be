import { usageKey } from '../../src/usage/usage-key';
import { TEST_KEY } from '../support/app';
import type { ReceivedSpan } from '../support/otlp-receiver';
import { callerContext, childrenOf, CLIENT, ERROR, one, QUERY, SERVER, startTraced, type Traced, until } from '../support/tracing';

/**
 * Traces across the fan-out: the real app, two emulated carriers over HTTP, the real Redis and an OTLP/HTTP
 * receiver of the test's own. A search that arrives with a caller's traceparent is checked span by span:
 * the server span continues the caller's trace, each carrier call is its child (attempts, Redis commands and
 * HTTP exchanges below it), the carriers receive the trace context, and the request's log lines name the
 * trace. The app is closed before the spans are read: shutdown exports everything that is left.
 * Log lines are checked of the file's first app only: nestjs-pino keeps one root logger per process, which
 * later apps of the same test file share.
 */
describe('a search with the caller\'s traceparent, one carrier answering and one failing', () => {
  let t: Traced;
  let spans: ReceivedSpan[];
  let trackingId: string;
  const caller = callerContext();

  beforeAll(async () => {
    t = await startTraced();
    t.emu.setBehaviour('vonage', { fault: { type: 'error', status: 503 } });
    const res = await t.app.get(QUERY, { authorization: `Bearer ${TEST_KEY}`, traceparent: caller.traceparent, tracestate: 'caller=t61rcWkgMzE' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-provider-errors')).toBe('vonage=unavailable');
    trackingId = res.headers.get('x-tracking-id') ?? '';
    spans = await t.finish();
  });
  afterAll(() => t.release());

  it('continues the caller\'s trace in a server span named by the route, with the status', () => {
    const server = one(spans, 'GET /numbers/available');
    expect(server).toMatchObject({ traceId: caller.traceId, parentSpanId: caller.spanId, kind: SERVER, status: { code: 0 } });
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/numbers/available',
      'http.response.status_code': 200,
      'url.path': '/numbers/available',
      'numbers.tracking_id': trackingId,
      'numbers.client': 'billing',
      'numbers.cache': 'MISS',
    });
    expect(server.resource['service.name']).toBe('numbers-gateway');
    // Every span of the search is in the caller's trace.
    expect(spans.filter((s) => s.traceId !== caller.traceId)).toEqual([]);
  });

  it('makes each carrier call a child span with its carrier, cache outcome, numbers, attempts and HTTP status', () => {
    const server = one(spans, 'GET /numbers/available');
    const carriers = childrenOf(spans, server).filter((s) => s.name.startsWith('carrier '));
    expect(carriers.map((s) => s.name).sort()).toEqual(['carrier telnyx', 'carrier vonage']);
    const telnyx = one(spans, 'carrier telnyx');
    expect(telnyx.status.code).toBe(0);
    expect(telnyx.attributes).toMatchObject({
      'carrier.name': 'telnyx',
      'carrier.cache': 'MISS',
      'http.response.status_code': 200,
      'carrier.attempts': 1,
      'carrier.retry_count': 0,
    });
    // The numbers telnyx answered with, as the emulator logged them going out.
    expect(telnyx.attributes['carrier.number_count']).toBeGreaterThan(0);
    expect(telnyx.attributes['error.type']).toBeUndefined();
  });

  it('marks the failing carrier\'s span as an error with its kind, status and retries, one attempt span each', () => {
    const vonage = one(spans, 'carrier vonage');
    expect(vonage.status.code).toBe(ERROR);
    expect(vonage.status.message).toMatch(/^unavailable: /);
    expect(vonage.attributes).toMatchObject({
      'carrier.name': 'vonage',
      'error.type': 'unavailable',
      'carrier.error_kind': 'unavailable',
      'http.response.status_code': 503,
      'carrier.attempts': 2,
      'carrier.retry_count': 1,
      'carrier.cache': 'MISS',
    });
    const attempts = childrenOf(spans, vonage).filter((s) => s.name === 'carrier attempt');
    expect(attempts.map((a) => a.attributes['carrier.attempt']).sort()).toEqual([1, 2]);
    for (const attempt of attempts) {
      expect(attempt.status.code).toBe(ERROR);
      expect(attempt.attributes).toMatchObject({ 'error.type': 'unavailable', 'http.response.status_code': 503 });
      const [exchange] = childrenOf(spans, attempt);
      expect(exchange).toMatchObject({ name: 'GET', kind: CLIENT, status: { code: ERROR } });
      expect(exchange.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 503, 'carrier.name': 'vonage' });
      // Reduced to the path: Vonage's query (and the credentials its older API took there) never reaches a span.
      expect(exchange.attributes['url.full']).toBe(`${t.emu.url}/vonage/number/search`);
    }
  });

  it('records the Redis commands of the search as spans under the call they serve', () => {
    const server = one(spans, 'GET /numbers/available');
    const usage = childrenOf(spans, server).filter((s) => s.name === 'EVALSHA usage increment');
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({ kind: CLIENT, attributes: { 'db.system.name': 'redis', 'db.operation.name': 'EVALSHA' } });
    expect(usage[0].attributes['db.query.text']).toBe(`EVALSHA ${usageKey(t.prefix, 'billing')}`);
    for (const carrier of ['telnyx', 'vonage']) {
      const names = childrenOf(spans, one(spans, `carrier ${carrier}`)).map((s) => s.name);
      // Looked up (a miss), the fill lock taken, released after the call.
      expect({ carrier, names: names.filter((n) => n !== 'carrier attempt').sort() }).toEqual({
        carrier,
        names: (carrier === 'telnyx' ? ['EVALSHA fill-lock release', 'GET answer', 'GET answer', 'SET answer', 'SET fill-lock'] : ['EVALSHA fill-lock release', 'GET answer', 'GET answer', 'SET fill-lock']).sort(),
      });
    }
    const get = childrenOf(spans, one(spans, 'carrier telnyx')).find((s) => s.name === 'GET answer');
    expect(String(get?.attributes['db.query.text'])).toMatch(new RegExp(`^GET ${t.prefix}:.*telnyx`));
  });

  it('sends every carrier request with the trace context of its own client span', () => {
    const exchanges = spans.filter((s) => s.kind === CLIENT && s.attributes['http.request.method'] !== undefined);
    for (const carrier of ['telnyx', 'vonage']) {
      const requests = t.emu.requests(carrier);
      const sent = exchanges.filter((s) => s.attributes['carrier.name'] === carrier);
      expect({ carrier, requests: requests.length }).toEqual({ carrier, requests: sent.length });
      expect(requests.map((r) => r.headers.traceparent).sort()).toEqual(sent.map((s) => `00-${caller.traceId}-${s.spanId}-01`).sort());
      // The caller's tracestate travels with its trace.
      for (const r of requests) expect(r.headers.tracestate).toBe('caller=t61rcWkgMzE');
    }
  });

  it('puts the trace id in every log line of the request, and the span id of the span it was written in', () => {
    const lines = t.app.logs.filter((l) => l.trackingId === trackingId);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect({ msg: line.msg, trace_id: line.trace_id }).toEqual({ msg: line.msg, trace_id: caller.traceId });
    const server = one(spans, 'GET /numbers/available');
    const requestLine = lines.find((l) => l.msg === 'GET /numbers/available 200');
    expect(requestLine).toMatchObject({ span_id: server.spanId, trace_flags: '01' });
    // A line written inside a carrier call names that call's span.
    const answered = lines.find((l) => l.msg === 'provider answered' && l.provider === 'telnyx');
    expect(answered?.span_id).toBe(one(spans, 'carrier telnyx').spanId);
  });
});

describe('the same search again', () => {
  it('shows the carrier answered from the cache: HIT, no attempt, no HTTP exchange', async () => {
    const t = await startTraced();
    try {
      t.emu.setBehaviour('vonage', { fault: { type: 'error', status: 503 } });
      expect((await t.app.get(QUERY)).status).toBe(200);
      const second = callerContext();
      const res = await t.app.get(QUERY, { ...t.app.authHeaders, traceparent: second.traceparent });
      expect(res.headers.get('x-cache')).toBe('MISS');
      const spans = (await t.finish()).filter((s) => s.traceId === second.traceId);
      const telnyx = one(spans, 'carrier telnyx');
      expect(telnyx.attributes).toMatchObject({ 'carrier.cache': 'HIT', 'carrier.attempts': 0, 'carrier.number_count': 5 });
      expect(telnyx.attributes['http.response.status_code']).toBeUndefined();
      expect(childrenOf(spans, telnyx).map((s) => s.name)).toEqual(['GET answer']);
      // The failed carrier is asked again: failures are never cached.
      expect(one(spans, 'carrier vonage').attributes).toMatchObject({ 'carrier.cache': 'MISS', 'carrier.attempts': 2 });
      expect(t.emu.requests('telnyx')).toHaveLength(1);
    } finally {
      await t.release();
    }
  });
});

describe('a stale answer', () => {
  it('is refreshed in a trace of its own, linked to the search that found it stale', async () => {
    const t = await startTraced({ CACHE_TTL_SECONDS: '1', CACHE_STALE_SECONDS: '60' }, ['telnyx']);
    try {
      expect((await t.app.get(QUERY)).status).toBe(200);
      // Past the one-second TTL, the answer is stale: served at once, refreshed in the background.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const caller = callerContext();
      const res = await t.app.get(QUERY, { ...t.app.authHeaders, traceparent: caller.traceparent });
      expect(res.headers.get('x-cache')).toBe('STALE');
      await until(() => t.emu.requests('telnyx').length === 2);
      const spans = await t.finish();
      const stale = spans.filter((s) => s.traceId === caller.traceId);
      expect(one(stale, 'carrier telnyx').attributes).toMatchObject({ 'carrier.cache': 'STALE', 'carrier.attempts': 0 });
      const refresh = one(spans, 'carrier telnyx background refresh');
      expect(refresh.traceId).not.toBe(caller.traceId);
      expect(refresh.parentSpanId).toBe('');
      expect(refresh.links).toEqual([{ traceId: caller.traceId, spanId: one(stale, 'carrier telnyx').spanId }]);
      const attempt = childrenOf(spans, refresh).find((s) => s.name === 'carrier attempt');
      expect(attempt).toBeDefined();
      expect(childrenOf(spans, attempt!).map((s) => s.name)).toEqual(['GET']);
      // The telnyx request of the refresh carried the refresh's trace, not the search's.
      expect(String(t.emu.requests('telnyx')[1].headers.traceparent)).toContain(refresh.traceId);
    } finally {
      await t.release();
    }
  });
});

describe('what the caller sends', () => {
  let t: Traced;
  beforeAll(async () => {
    t = await startTraced({}, ['telnyx']);
  });
  afterAll(() => t.release());

  it('starts a new trace when there is no traceparent, or one that is malformed, and answers as always', async () => {
    const headerSets: Record<string, string>[] = [{}, { traceparent: 'garbage' }, { traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` }, { traceparent: `ff-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, tracestate: '=,,' }];
    const ids: string[] = [];
    for (const headers of headerSets) {
      const res = await t.app.get(QUERY, { ...t.app.authHeaders, 'cache-control': 'no-cache', ...headers });
      expect({ headers, status: res.status }).toEqual({ headers, status: 200 });
      ids.push(res.headers.get('x-tracking-id') ?? '');
    }
    const spans = await t.finish();
    const servers = spans.filter((s) => s.kind === SERVER);
    expect(servers.map((s) => s.attributes['numbers.tracking_id']).sort()).toEqual([...ids].sort());
    for (const s of servers) {
      expect(s.parentSpanId).toBe('');
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.traceId).not.toBe('0'.repeat(32));
    }
    expect(new Set(servers.map((s) => s.traceId)).size).toBe(headerSets.length);
    // Each carrier request went out in its search's own trace.
    const traceparents = t.emu.requests('telnyx').map((r) => String(r.headers.traceparent).split('-')[1]);
    expect(traceparents.sort()).toEqual(servers.map((s) => s.traceId).sort());
  });
});

describe('a caller whose trace is not sampled', () => {
  it('records nothing of it, and still hands the carriers its trace id, marked not sampled', async () => {
    const t = await startTraced({}, ['telnyx']);
    try {
      const caller = callerContext(false);
      const res = await t.app.get(QUERY, { ...t.app.authHeaders, traceparent: caller.traceparent });
      expect(res.status).toBe(200);
      const spans = await t.finish();
      expect(spans.filter((s) => s.traceId === caller.traceId)).toEqual([]);
      const [request] = t.emu.requests('telnyx');
      expect(request.headers.traceparent).toMatch(new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-00$`));
      // The log still names the trace: a caller that samples downstream can find it.
      const trackingId = res.headers.get('x-tracking-id');
      const line = t.app.logs.find((l) => l.trackingId === trackingId && l.msg === 'GET /numbers/available 200');
      expect(line).toMatchObject({ trace_id: caller.traceId, trace_flags: '00' });
    } finally {
      await t.release();
    }
  });
});

describe('requests that are not searches', () => {
  it('names an unmatched route\'s span by its method only, records a refused search\'s status, and leaves probes untraced', async () => {
    const t = await startTraced({}, ['telnyx']);
    try {
      expect((await t.app.get('/nowhere/at/all')).status).toBe(404);
      expect((await t.app.get('/numbers/available?countryCode=USA')).status).toBe(400);
      expect((await fetch(`${t.app.url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${t.app.url}/metrics`)).status).toBe(200);
      const spans = await t.finish();
      const servers = spans.filter((s) => s.kind === SERVER);
      expect(servers.map((s) => [s.name, s.attributes['http.response.status_code'], s.status.code]).sort()).toEqual([
        ['GET /numbers/available', 400, 0],
        ['GET', 404, 0],
      ]);
      // Nothing else was traced: no carrier was asked, and the probes made no span at all.
      expect(spans.filter((s) => s.kind !== SERVER).map((s) => s.name)).toEqual([]);
    } finally {
      await t.release();
    }
  });
});

