import type { Fault } from '../../emulators/index';
import { contractValidator } from '../support/contract';
import { search, startStack, type Stack } from '../support/stack';

/**
 * Every fault the emulators can produce, for each carrier alone and for all at once: every answer is a 200
 * or a 502 with a valid envelope, arrives within its deadline (plus a margin for a loaded machine), and the
 * service stays healthy afterwards.
 */
const validateOk = contractValidator('AvailableNumbersResponse');
const validateError = contractValidator('ErrorResponse');
// Budgets wide enough that a healthy emulator on a busy 2-core machine (two jest workers) answers within them:
// only the carrier under test may fail.
const PROVIDER_TIMEOUT_MS = 1500;
const REQUEST_TIMEOUT_MS = 2500;
const MARGIN_MS = 2500;

// Three elements each: jest reads a callback with more parameters than values as one awaiting done().
const FAULTS: [string, Fault, number][] = [
  ['slow beyond budget', { type: 'none' }, 5000],
  ['500', { type: 'error', status: 500 }, 0],
  ['503', { type: 'error', status: 503 }, 0],
  ['401', { type: 'error', status: 401 }, 0],
  ['429 with Retry-After', { type: 'rate_limit', retryAfterSeconds: 30 }, 0],
  ['429 without Retry-After', { type: 'rate_limit' }, 0],
  ['connection reset', { type: 'reset' }, 0],
  ['truncated body', { type: 'truncated' }, 0],
  ['oversized body', { type: 'oversized', bytes: 3 * 1024 * 1024 }, 0],
  ['hang', { type: 'hang' }, 0],
  ['garbage JSON', { type: 'garbage' }, 0],
  ['HTML error page', { type: 'html' }, 0],
  ['wrong shape', { type: 'wrong_shape' }, 0],
];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
});
afterAll(() => stack.close());
beforeEach(() => stack.emu.reset());

function expectValidAnswer(r: Awaited<ReturnType<typeof search>>, label: string) {
  expect({ label, status: [200, 502].includes(r.status) }).toEqual({ label, status: true });
  if (r.status === 200) expect({ label, errors: validateOk(r.body) }).toEqual({ label, errors: [] });
  else expect({ label, errors: validateError(r.body), code: r.body.error.code }).toEqual({ label, errors: [], code: 'provider_error' });
  expect({ label, withinDeadline: r.ms < REQUEST_TIMEOUT_MS + MARGIN_MS }).toEqual({ label, withinDeadline: true });
}

describe('each carrier alone', () => {
  it('answers 200 with the others, naming the failed carrier, for every fault', async () => {
    for (const carrier of stack.emu.carrierNames()) {
      for (const [name, fault, latencyMs] of FAULTS) {
        stack.emu.reset();
        stack.emu.setBehaviour(carrier, { fault, latencyMs });
        // An area code, so that every carrier (Bandwidth needs one) is asked.
        const r = await search(stack.app, 'countryCode=US&areaCode=415&limit=5');
        const label = `${carrier}: ${name}`;
        expectValidAnswer(r, label);
        expect({ label, status: r.status }).toEqual({ label, status: 200 });
        expect({ label, header: r.headers.get('x-provider-errors') }).toEqual({ label, header: expect.stringMatching(new RegExp(`^${carrier}=[a-z_]+$`)) });
      }
    }
  }, 240_000);
});

describe('every carrier at once', () => {
  it.each(FAULTS)('%s everywhere: 502 with every carrier listed', async (_name, fault, latencyMs) => {
    for (const c of stack.emu.carrierNames()) stack.emu.setBehaviour(c, { fault, latencyMs });
    const r = await search(stack.app, 'countryCode=US&limit=5');
    expectValidAnswer(r, _name);
    expect(r.status).toBe(502);
    // Every carrier that can serve a US local search was asked and is listed.
    const eligible = stack.emu.carrierNames().filter((c) => stack.emu.requests(c).length > 0);
    expect(r.body.error.providers.map((p: { provider: string }) => p.provider).sort()).toEqual(eligible.sort());
    expect(eligible.length).toBeGreaterThan(0);
  });

  it('stays healthy afterwards', async () => {
    const live = await stack.app.get('/health/live', {});
    expect(live.status).toBe(200);
    const ok = await search(stack.app, 'countryCode=US&areaCode=415&limit=5');
    expect(ok.status).toBe(200);
    expect(ok.body.numbers).toHaveLength(5);
    expect(ok.headers.get('x-provider-errors')).toBeNull();
    const metrics = await (await stack.app.get('/metrics', {})).text();
    expect(metrics).toMatch(/provider_search_failures_total\{provider="\w+",kind="timeout"\} \d+/);
    expect(metrics).toMatch(/provider_calls_total\{provider="\w+",outcome="bad_response"\} \d+/);
    expect(metrics).not.toMatch(/route="\/numbers\/available",status="500"/);
  });
});
