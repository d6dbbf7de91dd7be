import fc from 'fast-check';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { OTHER_KEY, TEST_KEY } from '../support/app';
import { soupRequest, type SoupRequest } from '../support/byte-soup';
import { contractValidator } from '../support/contract';
import { RawConnection } from '../support/raw-http';
import { queryString, ServedOperation, type GeneratedRequest } from '../support/served-document';
import { startStack, type Stack } from '../support/stack';

/**
 * Random requests over keep-alive connections against the service and all seven carrier emulators:
 * half generated from the served document, half raw byte soup written over net.Socket. Every answer
 * must be a 200 (or another 2xx of a public route) or a 4xx envelope with its tracking id; never a 5xx,
 * a connection dropped without an answer, or a hang. The latencies are recorded and printed, not
 * asserted. RANDOM_REQUESTS sets the count (npm run random-requests runs 10,000).
 */
const TOTAL = Number(process.env.RANDOM_REQUESTS ?? 2000);
const WORKERS_PER_KIND = 4;
const validateError = contractValidator('ErrorResponse');

let stack: Stack;
let port: number;
let search: ServedOperation;
beforeAll(async () => {
  stack = await startStack({ PROVIDER_TIMEOUT_MS: '3000', REQUEST_TIMEOUT_MS: '5000', LOG_LEVEL: 'warn' });
  stack.emu.setBehaviour('plivo', { options: { rateLimit: { requests: 1_000_000, windowMs: 1000 } } });
  port = Number(new URL(stack.app.url).port);
  search = new ServedOperation(await (await stack.app.get('/openapi.json', {})).json(), '/numbers/available', 'get');
});
afterAll(() => stack.close());

interface Outcome {
  kind: 'document' | 'soup';
  ms: number;
  status?: number;
  failure?: string;
  what: string;
}

/** What is wrong with an answer, if anything: the same rule for both kinds of request. */
function judge(status: number, headers: Record<string, string | string[] | undefined>, body: string, expectBody: boolean): string | undefined {
  if (status >= 500) return `status ${status}: ${body.slice(0, 200)}`;
  const trackingId = headers['x-tracking-id'];
  if (typeof trackingId !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(trackingId)) return `status ${status} without X-Tracking-Id`;
  if (status < 400 || !expectBody) return undefined;
  let envelope: { trackingId?: string; error?: { fix?: string } };
  try {
    envelope = JSON.parse(body);
  } catch {
    return `status ${status} with a body that is not JSON: ${body.slice(0, 200)}`;
  }
  const problems = validateError(envelope);
  if (problems.length > 0) return `status ${status} with a body that is not the envelope (${problems.join('; ')}): ${body.slice(0, 200)}`;
  if (envelope.trackingId !== trackingId) return `status ${status}: body trackingId differs from X-Tracking-Id`;
  if (!envelope.error?.fix) return `status ${status} without a fix`;
  return undefined;
}

function send(agent: http.Agent, request: GeneratedRequest): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, agent, path: `/numbers/available?${queryString(request.pairs)}`, headers: request.headers, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

const credentials = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ headers: { authorization: `Bearer ${TEST_KEY}` }, authentic: true }) },
  { weight: 2, arbitrary: fc.constant({ headers: { 'x-api-key': OTHER_KEY }, authentic: true }) },
  { weight: 1, arbitrary: fc.constant({ headers: {}, authentic: false }) },
);

/** One keep-alive agent with one socket: every request of this worker goes down the same pooled connection. */
async function documentWorker(requests: GeneratedRequest[], outcomes: Outcome[]): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (const request of requests) {
      const what = `GET /numbers/available?${queryString(request.pairs)} ${JSON.stringify(request.headers)}`;
      const started = performance.now();
      try {
        const res = await send(agent, request);
        const ms = performance.now() - started;
        const expected = search.verdict(request).status;
        const failure =
          judge(res.status, res.headers, res.body, true) ??
          (res.status !== expected && !(expected === 200 && res.status === 200) ? `expected ${expected} by the document, got ${res.status}: ${res.body.slice(0, 200)}` : undefined);
        outcomes.push({ kind: 'document', ms, status: res.status, failure, what });
      } catch (e) {
        outcomes.push({ kind: 'document', ms: performance.now() - started, failure: `dropped: ${(e as Error).message}`, what });
      }
    }
  } finally {
    agent.destroy();
  }
}

/** One raw connection, kept for the next request until an answer says Connection: close. */
async function soupWorker(requests: SoupRequest[], outcomes: Outcome[]): Promise<void> {
  let conn = new RawConnection(port);
  try {
    for (const request of requests) {
      if (conn.closed) conn = new RawConnection(port);
      const what = JSON.stringify(request.bytes.subarray(0, 300).toString('latin1'));
      const started = performance.now();
      try {
        const res = await conn.exchange(request.bytes, { headRequest: request.head, timeoutMs: 10_000 });
        const ms = performance.now() - started;
        let failure = judge(res.status, res.headers, res.body, !request.head);
        if (!failure && res.headers.connection === 'close') {
          // Announced: the server closes it. Wait for the close so the next request gets a new connection.
          for (let i = 0; i < 200 && !conn.closed; i++) await new Promise((r) => setTimeout(r, 5));
          if (!conn.closed) failure = 'Connection: close announced but the connection stayed open';
          else if (conn.error) failure = `the connection was reset after the answer: ${conn.error.message}`;
        }
        outcomes.push({ kind: 'soup', ms, status: res.status, failure, what });
      } catch (e) {
        outcomes.push({ kind: 'soup', ms: performance.now() - started, failure: `dropped: ${(e as Error).message}`, what });
        conn.close();
      }
    }
  } finally {
    conn.close();
  }
}

const split = <T>(items: T[], parts: number): T[][] => Array.from({ length: parts }, (_, i) => items.filter((_x, j) => j % parts === i));

describe(`${TOTAL} random requests over keep-alive connections`, () => {
  it('get only 2xx answers or 4xx envelopes with a tracking id: no 5xx, no dropped connection, no hang', async () => {
    const documentRequests = fc.sample(search.requests(credentials), Math.ceil(TOTAL / 2));
    const soupRequests = fc.sample(soupRequest, Math.floor(TOTAL / 2));
    const outcomes: Outcome[] = [];
    const started = performance.now();
    await Promise.all([
      ...split(documentRequests, WORKERS_PER_KIND).map((r) => documentWorker(r, outcomes)),
      ...split(soupRequests, WORKERS_PER_KIND).map((r) => soupWorker(r, outcomes)),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const sorted = [...outcomes].sort((a, b) => b.ms - a.ms);
    const byStatus: Record<string, number> = {};
    for (const o of outcomes) byStatus[String(o.status ?? 'none')] = (byStatus[String(o.status ?? 'none')] ?? 0) + 1;
    const percentile = (p: number) => Math.round(sorted[Math.floor((sorted.length - 1) * (1 - p))].ms * 10) / 10;
    process.stdout.write(
      `${JSON.stringify({
        requests: outcomes.length,
        seconds: Math.round(seconds * 10) / 10,
        byStatus,
        failures: outcomes.filter((o) => o.failure).length,
        slowestMs: Math.round(sorted[0].ms * 10) / 10,
        slowest: `${sorted[0].kind}: ${sorted[0].what.slice(0, 160)}`,
        p99Ms: percentile(0.99),
        p50Ms: percentile(0.5),
        overOneSecond: outcomes.filter((o) => o.ms > 1000).length,
      })}\n`,
    );
    expect(outcomes).toHaveLength(documentRequests.length + soupRequests.length);
    expect(outcomes.filter((o) => o.failure).slice(0, 10).map((o) => `${o.kind} ${o.failure} ← ${o.what.slice(0, 300)}`)).toEqual([]);
    // Both kinds reached the service and both sides of the contract were answered.
    expect(byStatus['200']).toBeGreaterThan(TOTAL / 10);
    expect(byStatus['400']).toBeGreaterThan(TOTAL / 10);
  }, 600_000);
});
