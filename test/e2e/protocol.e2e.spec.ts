import * as http from 'node:http';
import { contractValidator } from '../support/contract';
import { authed, baseEnv, startApp, TEST_KEY, type RunningApp } from '../support/app';
import { RawConnection, type RawResponse } from '../support/raw-http';

/**
 * Answers the server writes itself, before or instead of a route: the envelope with a tracking id,
 * `Connection: close` exactly when the connection is closed, and a keep-alive client whose next request
 * succeeds after each of them.
 */
const validateError = contractValidator('ErrorResponse');

let app: RunningApp;
let port: number;
beforeAll(async () => {
  // The orders routes (a POST with a JSON body, a parametric GET) are served to this client.
  app = await startApp(baseEnv({ ORDER_CLIENTS: 'billing' }));
  port = Number(new URL(app.url).port);
});
afterAll(() => app.close());

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: unknown;
}

/** One request through a pooled keep-alive agent, as service clients send them. */
function request(agent: http.Agent, options: http.RequestOptions & { body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, agent, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), socket: req.socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function expectEnvelope(answer: { status: number; headers: Record<string, unknown>; body: string }, status: number, code: string) {
  expect({ status: answer.status }).toEqual({ status });
  const body = JSON.parse(answer.body);
  expect(validateError(body)).toEqual([]);
  expect(body.error.code).toBe(code);
  expect(body.error.fix).toEqual(expect.any(String));
  expect(body.trackingId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  expect(answer.headers['x-tracking-id']).toBe(body.trackingId);
  return body;
}

const search = { path: '/numbers/available?countryCode=US', headers: authed };

describe('a keep-alive client', () => {
  const cases: { name: string; options: http.RequestOptions & { body?: string }; status: number; code: string; closes: boolean; allow?: string }[] = [
    { name: 'headers over 16 KiB (431)', options: { path: search.path, headers: { ...authed, 'x-padding': 'a'.repeat(20_000) } }, status: 431, code: 'validation_error', closes: true },
    { name: 'a request line over 16 KiB (414)', options: { path: `${search.path}&x=${'a'.repeat(20_000)}`, headers: authed }, status: 414, code: 'validation_error', closes: true },
    { name: 'a URL over 8 KiB (414)', options: { path: `${search.path}&x=${'a'.repeat(9_000)}`, headers: authed }, status: 414, code: 'validation_error', closes: false },
    { name: 'a path that cannot be decoded (400)', options: { path: '/numbers/avail%ZZable?countryCode=US', headers: authed }, status: 400, code: 'validation_error', closes: false },
    { name: 'POST on the search (405)', options: { method: 'POST', path: search.path, headers: authed }, status: 405, code: 'method_not_allowed', closes: false, allow: 'GET, HEAD' },
    { name: 'an unknown Expect (417)', options: { path: search.path, headers: { ...authed, expect: 'teapot' } }, status: 417, code: 'validation_error', closes: false },
    { name: 'no Host header (400)', options: { path: search.path, headers: authed, setHost: false }, status: 400, code: 'validation_error', closes: false },
    {
      name: 'a body over 16 KiB (413)',
      options: { method: 'POST', path: '/numbers/orders', headers: { ...authed, 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'a'.repeat(20_000) }) },
      status: 413,
      code: 'validation_error',
      // The rest of the body is not read, so the connection cannot carry another request.
      closes: true,
    },
  ];

  it.each(cases)('gets the envelope for $name, and its next request succeeds', async ({ options, status, code, closes, allow }) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 15; round++) {
        const refused = await request(agent, options);
        expectEnvelope(refused, status, code);
        expect({ round, connection: refused.headers.connection }).toEqual({ round, connection: closes ? 'close' : 'keep-alive' });
        if (allow) expect(refused.headers.allow).toBe(allow);
        const next = await request(agent, search);
        expect({ round, status: next.status }).toEqual({ round, status: 200 });
        if (!closes) expect(next.socket).toBe(refused.socket);
      }
    } finally {
      agent.destroy();
    }
  });
});

describe('bytes that are not HTTP', () => {
  const garbage: [string, string][] = [
    ['a method that is no method', 'G@T /numbers/available HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an unknown HTTP version', 'GET /numbers/available HTTP/7.1\r\nHost: x\r\n\r\n'],
    ['a control character in a header', 'GET /numbers/available HTTP/1.1\r\nHost: x\r\nX-A: b\u0001c\r\n\r\n'],
    ['Content-Length beside Transfer-Encoding', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['binary noise', '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n'],
    ['a header section over 16 KiB', `GET /health/live HTTP/1.1\r\nHost: x\r\n${'X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(500)}\r\n`],
  ];

  it.each(garbage)('%s: an envelope with Connection: close, then a clean close', async (_name, bytes) => {
    const conn = new RawConnection(port);
    try {
      const answer = await conn.exchange(Buffer.from(bytes, 'latin1'));
      const body = expectEnvelope(answer, answer.status, 'validation_error');
      expect([400, 431]).toContain(answer.status);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.stringify(body)).not.toContain('G@T');
      // The server half-closes after answering: a clean FIN, never a reset.
      for (let i = 0; i < 100 && !conn.closed; i++) await new Promise((r) => setTimeout(r, 20));
      expect(conn.closed).toBe(true);
      expect(conn.error).toBeUndefined();
      // The refusal is logged once, findable by the tracking id the caller got.
      const lines = app.logs.filter((l) => l.trackingId === body.trackingId);
      expect(lines).toEqual([expect.objectContaining({ res: { statusCode: answer.status } })]);
    } finally {
      conn.close();
    }
  });

  it.each([
    ['nothing but line breaks, one of them a bare CR', '\r\r\n\r\n'],
    ['a head that stops half-way', 'GET /numbers/available?countryCode=US HTTP/1.1\r\nHost: x\r\n'],
  ])('%s: the 408 envelope after the head timeout, instead of a connection held open', async (_name, bytes) => {
    const conn = new RawConnection(port);
    try {
      // The head timeout is 5 s, checked every second (src/errors/request-limits.ts); the budget leaves room.
      const answer = await conn.exchange(Buffer.from(bytes, 'latin1'), { timeoutMs: 9000 });
      expectEnvelope(answer, 408, 'validation_error');
      expect(answer.headers.connection).toBe('close');
    } finally {
      conn.close();
    }
  }, 15_000);

  it.each([
    ['CONNECT gateway:443 HTTP/1.1\r\nHost: gateway:443\r\n\r\n', ''],
    ['CONNECT /numbers/available HTTP/1.1\r\nHost: gateway\r\n\r\n', 'GET, HEAD'],
  ])('answers CONNECT (%j) with a 405 instead of dropping the connection', async (bytes, allow) => {
    const conn = new RawConnection(port);
    try {
      const answer = await conn.exchange(bytes);
      expectEnvelope(answer, 405, 'method_not_allowed');
      expect(answer.headers.allow).toBe(allow);
      expect(answer.headers.connection).toBe('close');
      for (let i = 0; i < 100 && !conn.closed; i++) await new Promise((r) => setTimeout(r, 20));
      expect(conn.error).toBeUndefined();
    } finally {
      conn.close();
    }
  });

  it('keeps the connection for the next request after answers that leave it usable', async () => {
    const conn = new RawConnection(port);
    const auth = `Authorization: Bearer ${TEST_KEY}\r\n`;
    const ok = `GET /numbers/available?countryCode=US HTTP/1.1\r\nHost: x\r\n${auth}\r\n`;
    const refusals: [string, number][] = [
      [`DELETE /numbers/available?countryCode=US HTTP/1.1\r\nHost: x\r\n${auth}\r\n`, 405],
      [`GET /numbers/available?countryCode=US HTTP/1.1\r\n${auth}\r\n`, 400],
      [`GET /numbers/available?countryCode=US HTTP/1.1\r\nHost: x\r\nExpect: x\r\n${auth}\r\n`, 417],
      [`GET /numbers/available?countryCode=US&x=${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n${auth}\r\n`, 414],
      [`GET /numbers/%ZZ HTTP/1.1\r\nHost: x\r\n${auth}\r\n`, 400],
      [`GET /numbers/available?countryCode=US&constructor=1 HTTP/1.1\r\nHost: x\r\n${auth}\r\n`, 400],
    ];
    const ids: [string, number][] = [];
    try {
      for (const [bytes, status] of refusals) {
        const refused: RawResponse = await conn.exchange(bytes);
        expect({ status: refused.status, connection: refused.headers.connection }).toEqual({ status, connection: 'keep-alive' });
        ids.push([expectEnvelope(refused, status, status === 405 ? 'method_not_allowed' : 'validation_error').trackingId, status]);
        const next = await conn.exchange(ok);
        expect(next.status).toBe(200);
      }
      expect(conn.closed).toBe(false);
      // Each refusal has its one log line, whichever layer wrote the answer.
      await new Promise((r) => setTimeout(r, 50));
      for (const [trackingId, status] of ids) {
        expect(app.logs.filter((l) => l.trackingId === trackingId)).toEqual([expect.objectContaining({ res: { statusCode: status } })]);
      }
    } finally {
      conn.close();
    }
  });
});

describe('405 from the routes actually registered', () => {
  it.each([
    ['PUT', '/numbers/available?countryCode=US', 'GET, HEAD'],
    ['DELETE', '/numbers/available', 'GET, HEAD'],
    ['PATCH', '/numbers/available', 'GET, HEAD'],
    ['TRACE', '/numbers/available', 'GET, HEAD'],
    ['OPTIONS', '/numbers/available', 'GET, HEAD'],
    ['DELETE', '/numbers/orders', 'GET, HEAD, POST'],
    ['PUT', '/numbers/orders', 'GET, HEAD, POST'],
    ['POST', '/numbers/orders/ord_123', 'GET, HEAD'],
  ])('%s %s → 405 allowing %s', async (method, path, allow) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await request(agent, { method, path, headers: authed });
      const body = expectEnvelope(answer, 405, 'method_not_allowed');
      expect(answer.headers.allow).toBe(allow);
      expect(body.error.message).toContain(method);
      expect(body.error.fix).toContain(allow.split(', ')[0]);
    } finally {
      agent.destroy();
    }
  });

  it('leaves HEAD following GET, and a path nothing serves a 404', async () => {
    const head = await fetch(`${app.url}/numbers/available?countryCode=US`, { method: 'HEAD', headers: authed });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-tracking-id')).toBeTruthy();
    const nothing = await fetch(`${app.url}/numbers/nothing`, { method: 'POST', headers: authed });
    expect(nothing.status).toBe(404);
    expect(nothing.headers.get('allow')).toBeNull();
    expect(((await nothing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const served = await fetch(`${app.url}/numbers/orders`, { headers: authed });
    expect(served.status).toBe(200);
    const unknownOrder = await fetch(`${app.url}/numbers/orders/ord_1`, { headers: authed });
    expect(((await unknownOrder.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
