import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { sinchEmulator } from '../../emulators/sinch/sinch.emulator';
import { ProviderResponse, type ProviderRequest } from '../../src/providers/http/provider-http-client';
import { ProviderError } from '../../src/domain/provider-error';
import type { NumberProvider } from '../../src/domain/number-provider';
import { sinchError, sinchTokenError } from '../../src/providers/sinch/sinch.errors';
import { sinchProvider } from '../../src/providers/sinch/sinch.provider';
import { createProviderFromEnv, ctx, query, failure, jsonOf } from '../support/provider-under-test';
import { itMapsTransportFaults } from '../support/transport-faults';

let emu: EmulatorServer;
/** One adapter for the whole file: its token stays cached across tests, as in the service. */
let sinch: NumberProvider;
const CREDS = sinchEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${CREDS.keyId}:${CREDS.keySecret}`).toString('base64')}`;
const TOKEN_PATH = '/auth/oauth2/token';
const SEARCH_PATH = `/v1/projects/${CREDS.projectId}/availableNumbers`;

beforeAll(async () => {
  emu = new EmulatorServer([sinchEmulator]);
  await emu.listen();
  sinch = createProviderFromEnv(sinchProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(async () => {
  emu.reset();
  // The shared adapter holds a valid token at the start of every test (a previous test may have lost it).
  await sinch.search(query({ limit: 1 }), ctx());
  emu.clearRequests('sinch');
});

const fresh = () => createProviderFromEnv(sinchProvider, emu.env());
const tokenRequests = () => emu.requests('sinch').filter((r) => r.path === TOKEN_PATH);
const searchRequests = () => emu.requests('sinch').filter((r) => r.path === SEARCH_PATH);
const searchUrl = (q: string) => `${emu.url}/sinch${SEARCH_PATH}?${q}`;
const get = (q: string, headers: Record<string, string> = { authorization: BASIC }) => fetch(searchUrl(q), { headers });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function issueToken(): Promise<string> {
  const res = await fetch(`${emu.url}/sinch${TOKEN_PATH}`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await jsonOf(res)) as { access_token: string }).access_token;
}

describe('sinch adapter: wire request', () => {
  it('gets a client-credentials token, then searches with it as a bearer token', async () => {
    await fresh().search(query({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 7 }), ctx());
    const [token, search] = emu.requests('sinch');
    expect(token).toMatchObject({ method: 'POST', path: TOKEN_PATH, rawQuery: '', body: 'grant_type=client_credentials' });
    expect(token.headers.authorization).toBe(redactAuthorization(BASIC));
    expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(search).toMatchObject({ method: 'GET', path: SEARCH_PATH });
    // The log keeps a fingerprint of the bearer token, never the token.
    expect(search.headers.authorization).toMatch(/^Bearer redacted:sha256:[0-9a-f]{12}$/);
    // '+' and the calling code, URL-encoded; capabilities as a repeated key.
    expect(search.rawQuery).toBe(
      'regionCode=US&type=LOCAL&numberPattern.pattern=%2B1415&numberPattern.searchPattern=START&capabilities=SMS&capabilities=VOICE&size=7',
    );
  });

  it.each([
    [{ countryCode: 'GB', phoneNumberType: 'toll_free', limit: 3 } as const, 'regionCode=GB&type=TOLL_FREE&size=3'],
    [{ countryCode: 'GB', phoneNumberType: 'mobile', areaCode: '7700', limit: 5 } as const, 'regionCode=GB&type=MOBILE&numberPattern.pattern=%2B447700&numberPattern.searchPattern=START&size=5'],
    [{ countryCode: 'DE', features: ['voice'], limit: 50 } as const, 'regionCode=DE&type=LOCAL&capabilities=VOICE&size=50'],
  ])('sends %j as %s', async (q, rawQuery) => {
    await sinch.search(query(q), ctx());
    expect(emu.requests('sinch').map((r) => r.rawQuery)).toEqual([rawQuery]);
  });

  it('supports LOCAL, MOBILE and TOLL_FREE with SMS and VOICE only', () => {
    expect(sinch.supports(query({ features: ['sms', 'voice'] }))).toBe(true);
    expect(sinch.supports(query({ countryCode: 'GB', phoneNumberType: 'mobile' }))).toBe(true);
    expect(sinch.supports(query({ phoneNumberType: 'toll_free' }))).toBe(true);
    expect(sinch.supports(query({ countryCode: 'GB', phoneNumberType: 'national' }))).toBe(false);
    expect(sinch.supports(query({ features: ['mms'] }))).toBe(false);
    expect(sinch.supports(query({ features: ['fax', 'voice'] }))).toBe(false);
    expect(sinch.supports(query({ countryCode: 'XX' }))).toBe(false);
  });
});

describe('sinch adapter: the OAuth2 token', () => {
  it('asks for one token for many searches, concurrent or not', async () => {
    const adapter = fresh();
    await Promise.all(Array.from({ length: 8 }, () => adapter.search(query({ limit: 2 }), ctx())));
    for (let i = 0; i < 4; i++) await adapter.search(query({ countryCode: 'GB', limit: 2 }), ctx());
    expect(tokenRequests()).toHaveLength(1);
    expect(searchRequests()).toHaveLength(12);
    expect(new Set(searchRequests().map((r) => r.headers.authorization)).size).toBe(1);
  });

  it('refreshes a token shortly before it expires, and the emulator rejects the expired one', async () => {
    emu.setBehaviour('sinch', { options: { tokenTtlSeconds: 1 } });
    const expiring = await issueToken();
    expect((await get('regionCode=US&type=LOCAL', { authorization: `Bearer ${expiring}` })).status).toBe(200);
    emu.clearRequests('sinch');
    const adapter = fresh();
    await adapter.search(query({ limit: 1 }), ctx());
    await adapter.search(query({ limit: 1 }), ctx());
    expect(tokenRequests()).toHaveLength(1);
    const first = searchRequests()[0].headers.authorization!;
    await sleep(1100);
    await adapter.search(query({ limit: 1 }), ctx());
    expect(tokenRequests()).toHaveLength(2);
    // Refreshed before use: no search was refused on the way.
    expect(searchRequests().map((r) => r.status)).toEqual([200, 200, 200]);
    expect(searchRequests()[2].headers.authorization).not.toBe(first);
    const expired = await get('regionCode=US&type=LOCAL', { authorization: `Bearer ${expiring}` });
    expect(expired.status).toBe(401);
    expect((await jsonOf(expired)).error.status).toBe('UNAUTHENTICATED');
  });

  it('gets a new token once when the API refuses the cached one, and retries the search', async () => {
    const adapter = fresh();
    await adapter.search(query({ limit: 1 }), ctx());
    const revoked = searchRequests()[0].headers.authorization!.slice('Bearer '.length);
    emu.clearRequests('sinch');
    emu.setBehaviour('sinch', { options: { revokedTokens: [revoked] } });
    expect(await adapter.search(query({ limit: 3 }), ctx())).toHaveLength(3);
    expect(emu.requests('sinch').map((r) => [r.path, r.status])).toEqual([[SEARCH_PATH, 401], [TOKEN_PATH, 200], [SEARCH_PATH, 200]]);
    // The new token is kept.
    await adapter.search(query({ limit: 1 }), ctx());
    expect(tokenRequests()).toHaveLength(1);
  });

  it('gives up after one refresh when the API keeps refusing: auth_failed', async () => {
    const calls: string[] = [];
    const adapter = sinchProvider.create(
      { projectId: 'p', keyId: 'k', keySecret: 's', baseUrl: 'http://numbers', authUrl: 'http://auth' },
      {
        http: {
          request: (req: ProviderRequest) => {
            calls.push(req.url.startsWith('http://auth') ? 'token' : 'search');
            if (req.url.startsWith('http://auth')) {
              return Promise.resolve(new ProviderResponse('sinch', 200, {}, JSON.stringify({ access_token: `t${calls.length}`, expires_in: 3600, token_type: 'bearer' })));
            }
            return Promise.resolve(new ProviderResponse('sinch', 401, {}, JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } })));
          },
        },
      },
    );
    const e = await failure(adapter.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'auth_failed', httpStatus: 401, providerCode: '401', message: 'UNAUTHENTICATED: Request had invalid authentication credentials.' });
    expect(calls).toEqual(['token', 'search', 'token', 'search']);
  });

  it('maps a rejected key to auth_failed, does not cache the failure, and never shows the secret', async () => {
    const bad = createProviderFromEnv(sinchProvider, { ...emu.env(), SINCH_KEY_SECRET: 'SECRET_wrong_value' });
    for (let i = 0; i < 2; i++) {
      const e = await failure(bad.search(query(), ctx()));
      expect(e).toMatchObject({ kind: 'auth_failed', httpStatus: 401, providerCode: 'invalid_client' });
      expect(`${e.message} ${JSON.stringify(e.toLog())}`).not.toMatch(/SECRET_wrong_value|emulator-sinch-key/);
    }
    expect(tokenRequests()).toHaveLength(2);
    expect(searchRequests()).toHaveLength(0);
  });

  it('maps every kind of token failure', () => {
    const res = (status: number, body: string, headers: Record<string, string> = {}) => new ProviderResponse('sinch', status, headers, body);
    const oauth = (error: string) => JSON.stringify({ error, error_description: 'x' });
    expect(sinchTokenError(res(400, oauth('invalid_client')))).toMatchObject({ kind: 'auth_failed', providerCode: 'invalid_client', httpStatus: 400 });
    expect(sinchTokenError(res(400, oauth('unsupported_grant_type')))).toMatchObject({ kind: 'invalid_request', providerCode: 'unsupported_grant_type' });
    expect(sinchTokenError(res(401, ''))).toMatchObject({ kind: 'auth_failed', providerCode: undefined });
    expect(sinchTokenError(res(429, ''))).toMatchObject({ kind: 'rate_limited' });
    expect(sinchTokenError(res(503, ''))).toMatchObject({ kind: 'unavailable' });
    expect(sinchTokenError(res(500, JSON.stringify({ error: { code: 500, message: 'Internal', status: 'INTERNAL' } })))).toMatchObject({ kind: 'unavailable', providerCode: '500' });
    expect(sinchTokenError(res(502, '<html>bad gateway</html>'))).toMatchObject({ kind: 'bad_response', httpStatus: 502 });
  });

  it.each([
    ['a body that is not JSON', '<html>'],
    ['no access_token', '{"expires_in":3600}'],
    ['a token that is not a bearer token', '{"access_token":"abc","token_type":"mac"}'],
  ])('maps a token answer with %s to bad_response', async (_, body) => {
    const adapter = sinchProvider.create(
      { projectId: 'p', keyId: 'k', keySecret: 's', baseUrl: 'http://numbers', authUrl: 'http://auth' },
      { http: { request: () => Promise.resolve(new ProviderResponse('sinch', 200, {}, body)) } },
    );
    expect(await failure(adapter.search(query(), ctx()))).toMatchObject({ kind: 'bad_response', httpStatus: 200 });
  });

  it('maps faults on the token request itself', async () => {
    for (const [fault, kind] of [
      [{ type: 'error', status: 500 }, 'unavailable'],
      [{ type: 'rate_limit' }, 'rate_limited'],
      [{ type: 'garbage' }, 'bad_response'],
      [{ type: 'reset' }, 'unavailable'],
    ] as const) {
      emu.setBehaviour('sinch', { fault });
      expect((await failure(fresh().search(query(), ctx()))).kind).toBe(kind);
      expect(emu.requests('sinch').at(-1)!.path).toBe(TOKEN_PATH);
    }
  });

  it('gives up on a hanging token request when the search\'s signal fires, and closes it', async () => {
    emu.setBehaviour('sinch', { fault: { type: 'hang' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    expect((await failure(fresh().search(query(), ctx(controller.signal)))).kind).toBe('timeout');
    await sleep(50);
    expect(emu.openRequests('sinch')).toBe(0);
  });
});

describe('sinch adapter: normalisation', () => {
  it('returns E.164 numbers with the singular capability list as features, and no locality', async () => {
    const numbers = await sinch.search(query({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 6 }), ctx());
    expect(numbers).toHaveLength(6);
    const held = new Map(emu.inventory('sinch').map((n) => [n.e164, n]));
    for (const n of numbers) {
      const source = held.get(n.phoneNumber)!;
      expect(source).toMatchObject({ country: 'US', type: 'local' });
      expect(n.phoneNumber).toMatch(/^\+1415\d{7}$/);
      // Sinch knows SMS and VOICE only: MMS and fax never come back.
      expect(n).toEqual({ phoneNumber: n.phoneNumber, features: source.features.filter((f) => f === 'sms' || f === 'voice').sort() });
      expect(n.features).toEqual(['sms', 'voice']);
    }
  });

  it('reads mobile and toll-free numbers of other countries', async () => {
    const mobile = await sinch.search(query({ countryCode: 'GB', phoneNumberType: 'mobile', areaCode: '7911', limit: 3 }), ctx());
    expect(mobile.map((n) => n.phoneNumber)).toEqual([expect.stringMatching(/^\+447911\d{6}$/), expect.stringMatching(/^\+447911\d{6}$/), expect.stringMatching(/^\+447911\d{6}$/)]);
    const tollFree = await sinch.search(query({ countryCode: 'AU', phoneNumberType: 'toll_free', limit: 2 }), ctx());
    expect(tollFree).toHaveLength(2);
    for (const n of tollFree) expect(emu.inventory('sinch').find((i) => i.e164 === n.phoneNumber)?.type).toBe('toll_free');
  });

  it('skips malformed items and keeps the good ones', async () => {
    emu.setBehaviour('sinch', { options: { malformedItems: true } });
    const numbers = await sinch.search(query({ areaCode: '212', limit: 4 }), ctx());
    expect(numbers).toHaveLength(4);
    for (const n of numbers) expect(n.phoneNumber).toMatch(/^\+1212\d{7}$/);
    const body = await jsonOf(await get(searchRequests()[0].rawQuery));
    expect(body.availableNumbers).toHaveLength(8);
  });

  it.each([
    ['omit', {}],
    ['array', { availableNumbers: [] }],
  ])('reads an empty answer (%s) as no numbers', async (emptyShape, shape) => {
    emu.setBehaviour('sinch', { options: { emptyShape } });
    expect(await sinch.search(query({ areaCode: '907' }), ctx())).toEqual([]);
    expect(await jsonOf(await get(searchRequests()[0].rawQuery))).toEqual(shape);
  });

  it('refuses an object with other keys but no availableNumbers, or a non-array list', async () => {
    const adapterAnswering = (body: string) =>
      sinchProvider.create(
        { projectId: 'p', keyId: 'k', keySecret: 's', baseUrl: 'http://numbers', authUrl: 'http://auth' },
        {
          http: {
            request: (req: ProviderRequest) =>
              Promise.resolve(new ProviderResponse('sinch', 200, {}, req.url.startsWith('http://auth') ? '{"access_token":"t","expires_in":60}' : body)),
          },
        },
      );
    for (const body of ['{"numbers":[]}', '{"availableNumbers":{}}', '[]', 'null']) {
      expect(await failure(adapterAnswering(body).search(query(), ctx()))).toMatchObject({ kind: 'bad_response' });
    }
  });
});

describe('sinch adapter: errors', () => {
  it.each([
    [400, 'invalid_request'],
    [403, 'auth_failed'],
    [404, 'invalid_request'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ])('maps HTTP %i to %s, with the numeric or string code', async (status, kind) => {
    for (const stringCodes of [false, true]) {
      emu.setBehaviour('sinch', { fault: { type: 'error', status }, options: { stringCodes } });
      const e = await failure(sinch.search(query(), ctx()));
      expect({ kind: e.kind, providerCode: e.providerCode, httpStatus: e.httpStatus, provider: e.provider }).toEqual({ kind, providerCode: String(status), httpStatus: status, provider: 'sinch' });
    }
    // The scripted errors hit the search itself: the cached token was used.
    expect(tokenRequests()).toHaveLength(0);
    expect(searchRequests()).toHaveLength(2);
  });

  it('maps a 401 that persists through the refresh to auth_failed', async () => {
    emu.setBehaviour('sinch', { fault: { type: 'error', status: 401 } });
    const e = await failure(sinch.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'auth_failed', httpStatus: 401 });
    expect(emu.requests('sinch').map((r) => r.path)).toEqual([SEARCH_PATH, TOKEN_PATH]);
  });

  it('reads the message and status of the envelope', async () => {
    const res = await get('regionCode=US&type=NATIONAL');
    const e = sinchError(new ProviderResponse('sinch', res.status, {}, await res.text()));
    expect(e).toMatchObject({ kind: 'invalid_request', providerCode: '400', message: 'INVALID_ARGUMENT: parsing field "type": "NATIONAL" is not a valid value' });
    expect(sinchError(new ProviderResponse('sinch', 401, {}, 'Unauthorized'))).toMatchObject({ kind: 'auth_failed', httpStatus: 401 });
  });

  it('decides by the HTTP status first: an envelope naming a transient status on a 4xx is not retried', () => {
    const envelope = (status: number, name: string) =>
      new ProviderResponse('sinch', status, {}, JSON.stringify({ error: { code: status, message: 'm', status: name, details: [] } }));
    expect(sinchError(envelope(400, 'UNAVAILABLE'))).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(sinchError(envelope(409, 'ABORTED'))).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(sinchError(envelope(504, 'DEADLINE_EXCEEDED'))).toMatchObject({ kind: 'timeout', retryable: true });
    expect(sinchError(envelope(500, 'INVALID_ARGUMENT'))).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(sinchError(envelope(429, 'RESOURCE_EXHAUSTED'))).toMatchObject({ kind: 'rate_limited', retryable: true });
  });

  it('maps 429 to rate_limited with Retry-After', async () => {
    emu.setBehaviour('sinch', { fault: { type: 'rate_limit', retryAfterSeconds: 7 } });
    expect(await failure(sinch.search(query(), ctx()))).toMatchObject({ kind: 'rate_limited', httpStatus: 429, providerCode: '429', retryAfterSeconds: 7 });
    expect(emu.requests('sinch').map((r) => r.path)).toEqual([SEARCH_PATH]);
  });

  // The scripted faults hit the search itself: the cached token is used, the token endpoint not asked.
  itMapsTransportFaults('sinch', () => ({ emu, provider: sinch }), {
    requestedPaths: [SEARCH_PATH],
    secrets: () => [CREDS.keySecret, CREDS.keyId, BASIC.slice(6), ...emu.requests('sinch').flatMap((r) => (r.headers.authorization ?? '').split(' ').slice(1))],
  });

  it('never puts credentials or tokens in an error', async () => {
    const seen: string[] = [];
    for (const fault of [
      { type: 'error', status: 400 }, { type: 'error', status: 401 }, { type: 'error', status: 500 }, { type: 'rate_limit' },
      { type: 'garbage' }, { type: 'html' }, { type: 'truncated' }, { type: 'reset' },
    ] as const) {
      emu.setBehaviour('sinch', { fault });
      for (const adapter of [sinch, fresh()]) {
        const e = await failure(adapter.search(query(), ctx()));
        seen.push(e.message, JSON.stringify(e.toLog()));
      }
    }
    for (const text of seen) {
      for (const secret of [CREDS.keySecret, CREDS.keyId, BASIC.slice(6)]) expect(text).not.toContain(secret);
      // No access token either (the emulator's are JWTs).
      expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    }
  });
});

describe('sinch emulator: rejects what Sinch rejects', () => {
  it('answers 401 UNAUTHENTICATED without credentials, with an unknown or foreign token', async () => {
    const foreign = (await issueToken()).replace(/\.[^.]+$/, '.c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZQ');
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer abc.def.ghi' }, { authorization: `Bearer ${foreign}` }]) {
      const res = await get('regionCode=US&type=LOCAL', headers);
      expect(res.status).toBe(401);
      expect((await jsonOf(res)).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    }
  });

  it('accepts an issued bearer token and Basic key credentials alike', async () => {
    for (const authorization of [`Bearer ${await issueToken()}`, BASIC]) {
      const res = await get('regionCode=US&type=LOCAL&size=2', { authorization });
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).availableNumbers).toHaveLength(2);
    }
  });

  it('answers 403 for a project that is not the key\'s', async () => {
    const res = await fetch(`${emu.url}/sinch/v1/projects/someone-else/availableNumbers?regionCode=US&type=LOCAL`, { headers: { authorization: BASIC } });
    expect(res.status).toBe(403);
    expect((await jsonOf(res)).error.status).toBe('PERMISSION_DENIED');
  });

  it.each([
    ['type=LOCAL', 'regionCode'],
    ['regionCode=US', 'type'],
    ['regionCode=US&type=local', 'type'],
    ['regionCode=US&type=NATIONAL', 'type'],
    ['regionCode=US&type=LOCAL&capabilities=MMS', 'capabilities'],
    ['regionCode=US&type=LOCAL&capabilities=SMS,VOICE', 'capabilities'],
    ['regionCode=US&type=LOCAL&numberPattern.pattern=%2B1415&numberPattern.searchPattern=BEGIN', 'numberPattern.searchPattern'],
    ['regionCode=US&type=LOCAL&size=0', 'size'],
  ])('answers 400 INVALID_ARGUMENT for %s', async (q, field) => {
    const res = await get(q);
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', details: [{ type: 'BadRequest', fieldViolations: [{ field }] }] });
    expect(typeof body.error.message).toBe('string');
  });

  it('matches numberPattern.pattern with START, CONTAINS, CONTAIN and END, including + and the calling code', async () => {
    const numbers = async (q: string): Promise<string[]> =>
      ((await jsonOf(await get(`regionCode=US&type=LOCAL&size=100&${q}`))).availableNumbers ?? []).map((n: { phoneNumber: string }) => n.phoneNumber);
    const start = await numbers('numberPattern.pattern=%2B1415&numberPattern.searchPattern=START');
    expect(start.length).toBeGreaterThan(0);
    expect(start.every((n) => n.startsWith('+1415'))).toBe(true);
    // Without '+' and the calling code, START finds nothing (and `{}` comes back).
    expect(await numbers('numberPattern.pattern=415&numberPattern.searchPattern=START')).toEqual([]);
    const tail = start[0].slice(-4);
    for (const mode of ['CONTAINS', 'CONTAIN']) {
      const found = await numbers(`numberPattern.pattern=${tail}&numberPattern.searchPattern=${mode}`);
      expect(found).toContain(start[0]);
      expect(found.every((n) => n.includes(tail))).toBe(true);
    }
    const ends = await numbers(`numberPattern.pattern=${tail}&numberPattern.searchPattern=END`);
    expect(ends).toContain(start[0]);
    expect(ends.every((n) => n.endsWith(tail))).toBe(true);
  });

  it('reads repeated capabilities as AND and answers the singular capability key', async () => {
    const body = await jsonOf(await get('regionCode=US&type=LOCAL&capabilities=SMS&capabilities=VOICE&size=20'));
    expect(body.availableNumbers).toHaveLength(20);
    for (const n of body.availableNumbers) {
      expect(n.capability).toEqual(['SMS', 'VOICE']);
      expect(n).not.toHaveProperty('capabilities');
      expect(n).toMatchObject({ regionCode: 'US', type: 'LOCAL', setupPrice: { currencyCode: 'EUR', amount: expect.any(String) } });
    }
  });

  it('answers {} when nothing matches', async () => {
    const res = await get('regionCode=FR&type=LOCAL');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{}');
  });

  it('token endpoint: POST with Basic key credentials and grant_type=client_credentials only', async () => {
    const token = (init: RequestInit) => fetch(`${emu.url}/sinch${TOKEN_PATH}`, init);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const ok = await token({ method: 'POST', headers: { ...form, authorization: BASIC }, body: 'grant_type=client_credentials' });
    expect(await jsonOf(ok)).toMatchObject({ access_token: expect.any(String), expires_in: 3600, token_type: 'bearer' });
    const wrong = await token({ method: 'POST', headers: { ...form, authorization: `Basic ${Buffer.from(`${CREDS.keyId}:nope`).toString('base64')}` }, body: 'grant_type=client_credentials' });
    expect(wrong.status).toBe(401);
    expect((await jsonOf(wrong)).error).toBe('invalid_client');
    const noGrant = await token({ method: 'POST', headers: { ...form, authorization: BASIC }, body: '' });
    expect(noGrant.status).toBe(400);
    const otherGrant = await token({ method: 'POST', headers: { ...form, authorization: BASIC }, body: 'grant_type=password' });
    expect((await jsonOf(otherGrant)).error).toBe('unsupported_grant_type');
    expect((await token({ method: 'GET', headers: { authorization: BASIC } })).status).toBe(405);
  });
});
