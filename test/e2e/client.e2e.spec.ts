import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NumbersService } from '../../src/numbers/numbers.service';
import { createNumbersClient, NumbersClientError, unwrap, type NumbersClient, type SearchResult } from '../../client/src';
import { freePort } from '../../bench/lib/processes';
import { TEST_KEY, baseEnv, startApp } from '../support/app';
import { startStack, type Stack } from '../support/stack';

/**
 * The committed client (client/src) against the real service and the carrier emulators over HTTP: every
 * documented answer of a search, and every way the transport can fail, arrives as its typed result.
 */
let stack: Stack;
let numbers: NumbersClient;
beforeAll(async () => {
  stack = await startStack();
  numbers = createNumbersClient({ baseUrl: stack.app.url, apiKey: TEST_KEY });
});
afterAll(() => stack.close());
beforeEach(() => stack.emu.reset());

/** The error of a failed result (the test fails with the value when it succeeded). */
function errorOf(result: SearchResult) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Whether the service wrote a log line carrying this tracking id (it is the service's own id, not made up). */
function serviceLogged(trackingId: string | undefined): boolean {
  return trackingId !== undefined && stack.app.rawLogs.some((line) => line.includes(trackingId));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A plain HTTP server playing something that is not the service (a proxy, a stalled upstream). */
async function fakeUpstream(handler: http.RequestListener): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('200', () => {
  it('returns the numbers with the tracking id and the cache status', async () => {
    const result = await numbers.searchAvailableNumbers({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 5 });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const { value } = result;
    expect(value.numbers.length).toBeGreaterThan(0);
    expect(value.numbers.length).toBeLessThanOrEqual(5);
    for (const n of value.numbers) {
      expect(n.phoneNumber).toMatch(/^\+1415\d{7}$/);
      expect(n.features).toEqual(expect.arrayContaining(['sms', 'voice']));
      expect(n.phoneNumberType).toBe('local');
    }
    expect(serviceLogged(value.trackingId)).toBe(true);
    expect(value.cache).toBe('MISS');
    expect(value.providerErrors).toBeUndefined();

    const again = unwrap(await numbers.searchAvailableNumbers({ countryCode: 'US', areaCode: '415', features: ['voice', 'sms'], limit: 5 }));
    expect(again.cache).toBe('HIT');
    expect(again.numbers).toEqual(value.numbers);
    expect(again.trackingId).not.toBe(value.trackingId);
  });

  it('sends the number type and reads a partial answer: the carriers that failed are named', async () => {
    stack.emu.setBehaviour('twilio', { fault: { type: 'error', status: 503 } });
    const result = unwrap(await numbers.searchAvailableNumbers({ countryCode: 'US', areaCode: '212', phoneNumberType: 'local', limit: 10 }));
    expect(result.numbers.length).toBeGreaterThan(0);
    expect(result.providerErrors).toEqual([{ provider: 'twilio', code: 'unavailable' }]);
    expect(stack.emu.requests('twilio').length).toBeGreaterThan(0);
  });
});

describe('400', () => {
  it('is a validation_error listing every invalid parameter with its fix', async () => {
    const error = errorOf(await numbers.searchAvailableNumbers({ countryCode: 'US', areaCode: '41x', limit: 500 }));
    if (error.code !== 'validation_error') throw new Error(JSON.stringify(error));
    expect(error.status).toBe(400);
    expect(error.details.map((d) => d.parameter).sort()).toEqual(['areaCode', 'limit']);
    for (const d of error.details) expect(d.fix.length).toBeGreaterThan(0);
    expect(error.fix).toEqual(expect.any(String));
    expect(serviceLogged(error.trackingId)).toBe(true);
    // Refused before any carrier was asked.
    for (const carrier of stack.emu.carrierNames()) expect(stack.emu.requests(carrier)).toHaveLength(0);
  });
});

describe('401', () => {
  it('is unauthorized, and neither key appears anywhere in the result', async () => {
    const wrongKey = 'k_wrong_5e5e5e5e5e';
    const stranger = createNumbersClient({ baseUrl: stack.app.url, apiKey: wrongKey });
    const result = await stranger.searchAvailableNumbers({ countryCode: 'US' });
    const error = errorOf(result);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, fix: expect.any(String) });
    expect(serviceLogged(error.trackingId)).toBe(true);
    const text = JSON.stringify(result);
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(TEST_KEY);
  });
});

describe('402', () => {
  it('is usage_limit_exceeded with Retry-After read as seconds once the window is used up', async () => {
    const app = await startApp(baseEnv({ ...stack.emu.env(), USAGE_LIMIT_REQUESTS: '1', USAGE_LIMIT_WINDOW_SECONDS: '60' }));
    try {
      const limited = createNumbersClient({ baseUrl: app.url, apiKey: TEST_KEY });
      const first = unwrap(await limited.searchAvailableNumbers({ countryCode: 'US', areaCode: '415' }));
      expect(first.rateLimit).toEqual({ limit: 1, remaining: 0, resetSeconds: expect.any(Number) });

      const error = errorOf(await limited.searchAvailableNumbers({ countryCode: 'US', areaCode: '415' }));
      if (error.code !== 'usage_limit_exceeded') throw new Error(JSON.stringify(error));
      expect(error.status).toBe(402);
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(error.rateLimit).toMatchObject({ limit: 1, remaining: 0 });
      expect(app.rawLogs.some((line) => line.includes(error.trackingId))).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('a status the search does not document', () => {
  it('is unexpected_response, with the tracking id, when baseUrl carries a path the service does not have (404)', async () => {
    const misrouted = createNumbersClient({ baseUrl: `${stack.app.url}/v2/`, apiKey: TEST_KEY });
    const error = errorOf(await misrouted.searchAvailableNumbers({ countryCode: 'US' }));
    expect(error).toMatchObject({ code: 'unexpected_response', status: 404 });
    expect(error.trackingId).toBeDefined();
    expect(serviceLogged(error.trackingId!)).toBe(true);
  });
});

describe('a refused request (414)', () => {
  it('is validation_error with the status HTTP names for it', async () => {
    const error = errorOf(await numbers.searchAvailableNumbers({ countryCode: 'US', areaCode: '4'.repeat(9000) } as never));
    expect(error).toMatchObject({ code: 'validation_error', status: 414 });
  });
});

describe('500', () => {
  it('is internal_error with the tracking id and nothing of the exception', async () => {
    const app = await startApp(baseEnv(), (b) =>
      b.overrideProvider(NumbersService).useValue({
        search: () => {
          throw new TypeError('db-password=hunter2 leaked into an exception');
        },
      }),
    );
    try {
      const broken = createNumbersClient({ baseUrl: app.url, apiKey: TEST_KEY });
      const result = await broken.searchAvailableNumbers({ countryCode: 'US' });
      const error = errorOf(result);
      expect(error).toMatchObject({ code: 'internal_error', status: 500, trackingId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(JSON.stringify(result)).not.toContain('hunter2');
    } finally {
      await app.close();
    }
  });
});

describe('502', () => {
  it('is provider_error listing each carrier that failed', async () => {
    for (const carrier of stack.emu.carrierNames()) stack.emu.setBehaviour(carrier, { fault: { type: 'error', status: 500 } });
    const error = errorOf(await numbers.searchAvailableNumbers({ countryCode: 'US', areaCode: '646' }));
    if (error.code !== 'provider_error') throw new Error(JSON.stringify(error));
    expect(error.status).toBe(502);
    const asked = stack.emu.carrierNames().filter((c) => stack.emu.requests(c).length > 0);
    expect(asked.length).toBeGreaterThan(1);
    expect(error.providers.map((p) => p.provider).sort()).toEqual(asked.sort());
    for (const p of error.providers) expect(p).toMatchObject({ code: 'unavailable', message: expect.any(String) });
    expect(error.provider).toBe(error.providers[0]?.provider);
    expect(serviceLogged(error.trackingId)).toBe(true);
  });
});

describe('timeout', () => {
  it('gives up after timeoutMs while every carrier hangs, without a tracking id since no answer came', async () => {
    for (const carrier of stack.emu.carrierNames()) stack.emu.setBehaviour(carrier, { fault: { type: 'hang' } });
    const result = await numbers.searchAvailableNumbers({ countryCode: 'US', areaCode: '718' }, { timeoutMs: 300 });
    expect(errorOf(result)).toEqual({ code: 'timeout', timeoutMs: 300, message: expect.stringContaining('300 ms'), trackingId: undefined });
    // The service did receive it: the timeout is the client's.
    expect(stack.emu.carrierNames().some((c) => stack.emu.requests(c).length > 0)).toBe(true);
  });

  it('applies the client-wide timeoutMs, also when the caller passes a signal that never fires', async () => {
    for (const carrier of stack.emu.carrierNames()) stack.emu.setBehaviour(carrier, { fault: { type: 'hang' } });
    const impatient = createNumbersClient({ baseUrl: stack.app.url, apiKey: TEST_KEY, timeoutMs: 250 });
    const result = await impatient.searchAvailableNumbers({ countryCode: 'US', areaCode: '917' }, { signal: new AbortController().signal });
    expect(errorOf(result)).toMatchObject({ code: 'timeout', timeoutMs: 250 });
  });

  it('keeps the tracking id when the headers arrived and the body stalled', async () => {
    const stalled = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-tracking-id': 'abc123stalled' });
      res.write('{"numbers":[');
    });
    try {
      const client = createNumbersClient({ baseUrl: stalled.url, apiKey: TEST_KEY, timeoutMs: 300 });
      const error = errorOf(await client.searchAvailableNumbers({ countryCode: 'US' }));
      expect(error).toMatchObject({ code: 'timeout', trackingId: 'abc123stalled' });
    } finally {
      await stalled.close();
    }
  });
});

describe('abort', () => {
  it('ends a search in flight when the caller aborts, with the caller’s reason', async () => {
    for (const carrier of stack.emu.carrierNames()) stack.emu.setBehaviour(carrier, { fault: { type: 'hang' } });
    const controller = new AbortController();
    const pending = numbers.searchAvailableNumbers({ countryCode: 'US', areaCode: '305' }, { signal: controller.signal, timeoutMs: 60_000 });
    await until(() => stack.emu.carrierNames().some((c) => stack.emu.openRequests(c) > 0));
    const reason = new Error('the user closed the page');
    controller.abort(reason);
    const error = errorOf(await pending);
    expect(error).toMatchObject({ code: 'aborted', reason, message: expect.stringContaining('the user closed the page') });
  });

  it('sends nothing when the signal is already aborted', async () => {
    let sent = 0;
    const counting = createNumbersClient({
      baseUrl: stack.app.url,
      apiKey: TEST_KEY,
      fetch: (request) => {
        sent++;
        return fetch(request);
      },
    });
    const error = errorOf(await counting.searchAvailableNumbers({ countryCode: 'US' }, { signal: AbortSignal.abort('not needed any more') }));
    expect(error).toMatchObject({ code: 'aborted', reason: 'not needed any more', trackingId: undefined });
    expect(sent).toBe(0);
    // The same client still works afterwards.
    expect((await counting.searchAvailableNumbers({ countryCode: 'US', areaCode: '415' })).ok).toBe(true);
    expect(sent).toBe(1);
  });
});

describe('answers that are not the service’s', () => {
  it('reports a refused connection as network_error with its cause', async () => {
    const nobody = createNumbersClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: TEST_KEY });
    const error = errorOf(await nobody.searchAvailableNumbers({ countryCode: 'US' }));
    expect(error).toMatchObject({ code: 'network_error', trackingId: undefined, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('reports a load balancer’s HTML page as unexpected_response with its status and body', async () => {
    const proxy = await fakeUpstream((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    try {
      const client = createNumbersClient({ baseUrl: proxy.url, apiKey: TEST_KEY });
      const error = errorOf(await client.searchAvailableNumbers({ countryCode: 'US' }));
      expect(error).toMatchObject({ code: 'unexpected_response', status: 502, body: expect.stringContaining('502 Bad Gateway'), trackingId: undefined });
    } finally {
      await proxy.close();
    }
  });

  it('does not follow a redirect (the key stays with the service)', async () => {
    const elsewhere = await fakeUpstream((_req, res) => res.end('{"numbers":[]}'));
    const redirecting = await fakeUpstream((_req, res) => {
      res.writeHead(301, { location: `${elsewhere.url}/numbers/available` });
      res.end();
    });
    try {
      const client = createNumbersClient({ baseUrl: redirecting.url, apiKey: TEST_KEY });
      const error = errorOf(await client.searchAvailableNumbers({ countryCode: 'US' }));
      expect(error).toMatchObject({ code: 'unexpected_response', status: 301, message: expect.stringContaining(`a redirect to ${elsewhere.url}/numbers/available`) });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await redirecting.close();
      await elsewhere.close();
    }
  });

  it('reports a 200 that is not JSON as unexpected_response', async () => {
    const odd = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-tracking-id': 't1' });
      res.end('<html>maintenance</html>');
    });
    try {
      const client = createNumbersClient({ baseUrl: odd.url, apiKey: TEST_KEY });
      expect(errorOf(await client.searchAvailableNumbers({ countryCode: 'US' }))).toMatchObject({ code: 'unexpected_response', status: 200 });
    } finally {
      await odd.close();
    }
  });
});

describe('creating a client', () => {
  it('refuses a baseUrl, key or timeout it cannot use, naming the option', () => {
    expect(() => createNumbersClient({ baseUrl: 'numbers-gateway:3000', apiKey: TEST_KEY })).toThrow(/baseUrl/);
    expect(() => createNumbersClient({ baseUrl: 'ftp://numbers-gateway', apiKey: TEST_KEY })).toThrow(/baseUrl must use http/);
    expect(() => createNumbersClient({ baseUrl: stack.app.url, apiKey: ' ' })).toThrow(/apiKey/);
    expect(() => createNumbersClient({ baseUrl: stack.app.url, apiKey: TEST_KEY, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  it('unwrap throws the error with its code and tracking id', async () => {
    const stranger = createNumbersClient({ baseUrl: stack.app.url, apiKey: 'k_not_a_key_000' });
    const thrown = await stranger.searchAvailableNumbers({ countryCode: 'US' }).then(unwrap).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(NumbersClientError);
    const error = (thrown as NumbersClientError).error;
    expect((thrown as Error).message).toBe(`unauthorized: ${error.message} (trackingId ${error.trackingId})`);
  });
});
