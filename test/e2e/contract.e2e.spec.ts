import { contractValidator } from '../support/contract';
import { authed, OTHER_KEY, startApp, TEST_KEY, type RunningApp } from '../support/app';

const validateError = contractValidator('ErrorResponse');
const validateOk = contractValidator('AvailableNumbersResponse');

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
});

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { trackingId: string; error: { code: string; message: string; fix?: string } };
  expect(validateError(body)).toEqual([]);
  expect(body.error.code).toBe(code);
  expect(body.trackingId).toBe(res.headers.get('x-tracking-id'));
  expect(body.error.fix).toEqual(expect.any(String));
  expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|\.ts:\d+|node_modules/);
  return body;
}

describe('GET /numbers/available: success', () => {
  it('answers 200 with the contract shape and an X-Tracking-Id, with either key header', async () => {
    for (const headers of [authed, { 'x-api-key': OTHER_KEY }, { authorization: `bearer ${TEST_KEY}` }]) {
      const res = await app.get('/numbers/available?countryCode=US', headers);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(validateOk(body)).toEqual([]);
      expect(body).toEqual({ numbers: [] });
      expect(res.headers.get('x-tracking-id')).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    }
  });

  it('accepts every valid form of every parameter', async () => {
    const ok = [
      'countryCode=us',
      'countryCode=Gb&features=SMS,voice',
      'countryCode=uS&features=sms,Voice,SMS',
      'countryCode=US&features=fax,mms&areaCode=4&limit=1',
      'countryCode=DE&areaCode=123456&limit=50&phoneNumberType=mobile',
      'countryCode=CA&phoneNumberType=toll_free',
      'countryCode=GB&phoneNumberType=national',
      'countryCode=US&phoneNumberType=local&limit=10',
    ];
    for (const q of ok) {
      const res = await app.get(`/numbers/available?${q}`);
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
    }
  });

  it('gives every response a different tracking id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await app.get('/numbers/available?countryCode=US')).headers.get('x-tracking-id')!);
    expect(ids.size).toBe(20);
  });
});

describe('GET /numbers/available: validation (400 validation_error)', () => {
  const cases: [string, string, RegExp][] = [
    ['', 'countryCode', /countryCode is required/],
    ['countryCode=', 'countryCode', /countryCode is required/],
    ['countryCode=USA', 'countryCode', /two letters/],
    ['countryCode=1A', 'countryCode', /two letters/],
    ['countryCode=XX', 'countryCode', /not an assigned/],
    ['countryCode=UK', 'countryCode', /not an assigned/],
    ['countryCode=US&features=sms,,voice', 'features', /empty item/],
    ['countryCode=US&features=', 'features', /empty item/],
    ['countryCode=US&features=sms,telepathy', 'features', /unknown value/],
    ['countryCode=US&areaCode=abc', 'areaCode', /1 to 6 digits/],
    ['countryCode=US&areaCode=1234567', 'areaCode', /1 to 6 digits/],
    ['countryCode=US&areaCode=', 'areaCode', /1 to 6 digits/],
    ['countryCode=US&areaCode=(415)', 'areaCode', /1 to 6 digits/],
    ['countryCode=US&phoneNumberType=toll-free', 'phoneNumberType', /must be one of/],
    ['countryCode=US&phoneNumberType=satellite', 'phoneNumberType', /must be one of/],
    ['countryCode=US&limit=abc', 'limit', /whole number/],
    ['countryCode=US&limit=0', 'limit', /at least 1/],
    ['countryCode=US&limit=51', 'limit', /at most 50/],
    ['countryCode=US&limit=1.5', 'limit', /whole number/],
    ['countryCode=US&limit=-1', 'limit', /whole number/],
    ['countryCode=US&countryCode=CA', 'countryCode', /sent 2 times/],
    ['countryCode=US&limit=5&limit=6', 'limit', /sent 2 times/],
    ['countryCode=US&area_code=415', 'area_code', /Unknown query parameter/],
    ['countryCode=US&foo=bar', 'foo', /Unknown query parameter/],
    // Names every object has as a property are parameters like any other: unknown.
    ...['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'length', 'isPrototypeOf'].map(
      (name): [string, string, RegExp] => [`countryCode=US&${name}=1`, name, /Unknown query parameter/],
    ),
    // Values are taken as sent: no trimming, no sign, no leading zeros (a + in a query string is a space).
    ['countryCode=%20US', 'countryCode', /without spaces/],
    ['countryCode=US%20', 'countryCode', /without spaces/],
    ['countryCode=US&limit=+5', 'limit', /plain digits/],
    ['countryCode=US&limit=%2B5', 'limit', /plain digits/],
    ['countryCode=US&limit=5%20', 'limit', /plain digits/],
    ['countryCode=US&limit=05', 'limit', /plain digits/],
    ['countryCode=US&features=sms,%20voice', 'features', /spaces/],
    ['countryCode=US&areaCode=%20415', 'areaCode', /1 to 6 digits/],
    ['countryCode=US&phoneNumberType=MOBILE', 'phoneNumberType', /lower case/],
    ['countryCode=US&phoneNumberType=local%20', 'phoneNumberType', /lower case/],
    // Assigned, but without a numbering plan: refused with the reason.
    ...['AQ', 'bv', 'Tf', 'HM', 'PN', 'GS', 'UM'].map((code): [string, string, RegExp] => [`countryCode=${code}`, 'countryCode', /no telephone numbering plan/]),
  ];
  it.each(cases)('?%s → 400 naming %s', async (q, parameter, message) => {
    const body = await expectError(await app.get(`/numbers/available?${q}`), 400, 'validation_error');
    expect(body.error.message).toMatch(message);
    expect(body.error.message).toContain(parameter);
    const details = (body.error as unknown as { details: { parameter: string }[] }).details;
    expect(details.map((d) => d.parameter)).toContain(parameter);
  });

  it('says what was meant where it can be guessed', async () => {
    const guesses: [string, RegExp][] = [
      ['countryCode=US&area_code=415', /Did you mean areaCode\?/],
      ['countryCode=US&country=US', /Did you mean countryCode\?/],
      ['countryCode=US&type=mobile', /Did you mean phoneNumberType\?/],
      ['countryCode=US&pageSize=5', /Did you mean limit\?/],
      ['countryCode=USA', /countryCode=US/],
      ['countryCode=UK', /countryCode=GB/],
      ['countryCode=US&phoneNumberType=toll-free', /phoneNumberType=toll_free/],
      ['countryCode=US&features=voic', /Did you mean voice\?/],
      ['countryCode=US&areaCode=(415)', /areaCode=415/],
      ['countryCode=US&limit=51', /limit=50/],
      ['countryCode=%20US', /countryCode=US/],
      ['countryCode=US&limit=+5', /limit=5; .*\+ in a query string is a space/],
      ['countryCode=US&limit=007', /limit=7/],
      ['countryCode=US&phoneNumberType=Toll_Free', /phoneNumberType=toll_free/],
      ['countryCode=US&features=SMS,%20Voice', /features=sms,voice/],
      ['countryCode=AQ', /No carrier sells numbers for Antarctica/],
      ['countryCode=US&constructor=1', /Remove "constructor"; the accepted parameters are countryCode/],
    ];
    for (const [q, fix] of guesses) {
      const body = await expectError(await app.get(`/numbers/available?${q}`), 400, 'validation_error');
      expect({ q, fix: body.error.fix }).toEqual({ q, fix: expect.stringMatching(fix) });
    }
  });

  it('reports every problem at once', async () => {
    const body = await expectError(await app.get('/numbers/available?countryCode=USA&limit=1.5&area_code=415'), 400, 'validation_error');
    const details = (body.error as unknown as { details: { parameter: string }[] }).details;
    expect(details.map((d) => d.parameter)).toEqual(['countryCode', 'limit', 'area_code']);
  });

  it('answers a URL that cannot be decoded, or one too long, with the envelope', async () => {
    await expectError(await app.get('/numbers/available?countryCode=%E0%A4%A'), 400, 'validation_error');
    await expectError(await app.get('/numbers/avail%ZZable?countryCode=US'), 400, 'validation_error');
    const long = await expectError(await app.get(`/numbers/available?countryCode=US&x=${'a'.repeat(9000)}`), 414, 'validation_error');
    expect(long.error.message).toMatch(/longer than 8 KiB/);
  });
});

describe('authentication (401 unauthorized) and routing (404 not_found)', () => {
  it.each([
    ['no key', {}],
    ['a wrong bearer key', { authorization: 'Bearer k_wrong_key_123' }],
    ['a wrong X-API-Key', { 'x-api-key': 'k_wrong_key_123' }],
    ['Basic credentials', { authorization: `Basic ${Buffer.from(`u:${TEST_KEY}`).toString('base64')}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a prefix of the key', { authorization: `Bearer ${TEST_KEY.slice(0, -1)}` }],
  ])('rejects %s', async (_name, headers) => {
    await expectError(await app.get('/numbers/available?countryCode=US', headers as Record<string, string>), 401, 'unauthorized');
  });

  it.each([
    ['a valid bearer with a bogus X-API-Key', { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': 'k_wrong_key_0123456' }, /X-API-Key key is not valid/],
    ['a valid X-API-Key with a bogus bearer', { authorization: 'Bearer k_wrong_key_0123456', 'x-api-key': TEST_KEY }, /Authorization key is not valid/],
    ['keys of two different clients', { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': OTHER_KEY }, /keys of two different clients/],
    ['two bogus keys', { authorization: 'Bearer k_wrong_key_0123456', 'x-api-key': 'k_wrong_key_6543210' }, /Neither/],
    ['a valid X-API-Key beside Basic credentials', { authorization: 'Basic dTpw', 'x-api-key': TEST_KEY }, /does not have the form "Bearer <key>"/],
  ])('refuses two credentials that disagree: %s', async (_name, headers, message) => {
    const body = await expectError(await app.get('/numbers/available?countryCode=US', headers as Record<string, string>), 401, 'unauthorized');
    expect(body.error.message).toMatch(message);
  });

  it('accepts the same key in both headers', async () => {
    const res = await app.get('/numbers/available?countryCode=US', { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': TEST_KEY });
    expect(res.status).toBe(200);
  });

  it('challenges every 401 with WWW-Authenticate and never repeats what was sent', async () => {
    const sent: Record<string, string>[] = [
      {},
      { authorization: TEST_KEY },
      { authorization: 'k_secret_pasted_without_scheme' },
      { authorization: 'Token k_secret_with_other_scheme' },
      { authorization: 'Bearer k_secret_that_is_wrong_123' },
      { 'x-api-key': 'k_secret_that_is_wrong_456' },
      { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': 'k_secret_that_is_wrong_789' },
    ];
    for (const headers of sent) {
      const res = await app.get('/numbers/available?countryCode=US', headers);
      const body = await expectError(res, 401, 'unauthorized');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="numbers-gateway"(, error="invalid_(token|request)")?$/);
      const text = JSON.stringify(body);
      for (const value of Object.values(headers)) {
        for (const part of value.split(' ')) if (part.length > 5) expect({ headers, leaked: text.includes(part) }).toEqual({ headers, leaked: false });
      }
    }
    const none = await app.get('/numbers/available?countryCode=US', {});
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="numbers-gateway"');
  });

  it('authenticates before validating: an invalid query without a key is 401', async () => {
    await expectError(await app.get('/numbers/available?countryCode=USA&limit=abc', {}), 401, 'unauthorized');
  });

  it('answers an unknown route 404 with or without a key', async () => {
    await expectError(await app.get('/numbers/unknown', {}), 404, 'not_found');
    await expectError(await app.get('/numbers', authed), 404, 'not_found');
  });

  // TRACE, which fetch refuses to send, is in protocol.e2e.spec.ts.
  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers %s on the search 405 with Allow, with or without a key', async (method) => {
    for (const headers of [authed, {}]) {
      const res = await fetch(`${app.url}/numbers/available?countryCode=US`, { method, headers });
      const body = await expectError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(body.error.fix).toMatch(/Use GET \/numbers\/available/);
    }
  });

  it('needs no key for health and docs', async () => {
    expect((await app.get('/health/live', {})).status).toBe(200);
    expect((await app.get('/health/ready', {})).status).toBe(200);
    expect((await app.get('/openapi.json', {})).status).toBe(200);
    const docs = await app.get('/docs', {});
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });
});

describe('logs', () => {
  it('writes one line per request with method, path, status, duration and tracking id, and no key', async () => {
    const res = await app.get('/numbers/available?countryCode=US&limit=3');
    const id = res.headers.get('x-tracking-id');
    await new Promise((r) => setTimeout(r, 50));
    const lines = app.logs.filter((l) => l.trackingId === id);
    const requestLines = lines.filter((l) => (l as { req?: unknown }).req !== undefined);
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      req: { method: 'GET', path: '/numbers/available' },
      res: { statusCode: 200 },
      durationMs: expect.any(Number),
    });
    expect(app.rawLogs.join('\n')).not.toContain(TEST_KEY);
    expect(app.rawLogs.join('\n')).not.toContain(OTHER_KEY);
  });
});
