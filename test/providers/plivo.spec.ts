import { redactAuthorization } from '../../emulators/core/redact';
import { plivoEmulator } from '../../emulators/plivo/plivo.emulator';
import { EmulatorServer } from '../../emulators/core/server';
import { ProviderResponse, type ProviderHttp, type ProviderRequest } from '../../src/providers/http/provider-http-client';
import { plivoError } from '../../src/providers/plivo/plivo.errors';
import { PLIVO_MAX_PAGES, plivoProvider, servicesFor } from '../../src/providers/plivo/plivo.provider';
import { ProviderError } from '../../src/domain/provider-error';
import type { NumberProvider } from '../../src/domain/number-provider';
import { itMapsTransportFaults } from '../support/transport-faults';
import { createProviderFromEnv, ctx, query, failure, jsonOf } from '../support/provider-under-test';

let emu: EmulatorServer;
let plivo: NumberProvider;
const { authId: AUTH_ID, authToken: TOKEN } = plivoEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${AUTH_ID}:${TOKEN}`).toString('base64')}`;
const PATH = `/v1/Account/${AUTH_ID}/PhoneNumber/`;

beforeAll(async () => {
  emu = new EmulatorServer([plivoEmulator]);
  await emu.listen();
  plivo = createProviderFromEnv(plivoProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const search = (qs: string, headers: Record<string, string> = { authorization: BASIC }, path = PATH) =>
  fetch(`${emu.url}/plivo${path}?${qs}`, { headers });
/** Replays one of the adapter's requests as it was sent, to see the carrier's raw answer. */
async function replay(i = 0) {
  const req = emu.requests('plivo')[i];
  return jsonOf(await fetch(`${emu.url}/plivo${req.path}?${req.rawQuery}`, { headers: { authorization: BASIC } }));
}
const paging = () => emu.requests('plivo').map((r) => {
  const q = new URLSearchParams(r.rawQuery);
  return [q.get('offset'), q.get('limit')];
});

/** An adapter over scripted 200 pages (for paging rules the emulator never breaks). */
function scripted(pages: (req: ProviderRequest) => unknown) {
  const calls: URLSearchParams[] = [];
  const http: ProviderHttp = {
    request: (req) => {
      calls.push(req.query!);
      const body = pages(req);
      return Promise.resolve(new ProviderResponse('plivo', 200, {}, typeof body === 'string' ? body : JSON.stringify(body)));
    },
  };
  return { calls, adapter: plivoProvider.create({ authId: AUTH_ID, authToken: TOKEN, baseUrl: 'http://unused' }, { http }) };
}
const item = (n: number, extra: Record<string, unknown> = {}) => ({ number: `1415555${String(n).padStart(4, '0')}`, voice_enabled: true, ...extra });

describe('plivo adapter: wire request', () => {
  it('sends Basic auth, the auth id in the path with its trailing slash, and the area code without the country code', async () => {
    await plivo.search(query({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 7 }), ctx());
    const [req] = emu.requests('plivo');
    expect(req.method).toBe('GET');
    expect(req.path).toBe(PATH);
    expect(req.headers.authorization).toBe(redactAuthorization(BASIC));
    expect(req.rawQuery).toBe('country_iso=US&type=local&pattern=415&services=voice%2Csms&limit=7&offset=0');
  });

  it.each([
    [{ countryCode: 'US', phoneNumberType: 'toll_free' as const, limit: 5 }, 'country_iso=US&type=tollfree&limit=5&offset=0'],
    [{ countryCode: 'GB', phoneNumberType: 'mobile' as const, areaCode: '7700', limit: 3 }, 'country_iso=GB&type=mobile&pattern=7700&limit=3&offset=0'],
    [{ countryCode: 'GB', phoneNumberType: 'national' as const, features: ['voice' as const], limit: 2 }, 'country_iso=GB&type=national&services=voice&limit=2&offset=0'],
    [{ countryCode: 'DE', areaCode: '30', features: ['mms' as const, 'sms' as const, 'voice' as const], limit: 4 }, 'country_iso=DE&type=local&pattern=30&services=voice%2Csms%2Cmms&limit=4&offset=0'],
    // No documented value for sms+mms: `mms` and the sms boolean checked, in full pages.
    [{ countryCode: 'AU', features: ['mms' as const, 'sms' as const], limit: 2 }, 'country_iso=AU&type=local&services=mms&limit=20&offset=0'],
  ])('builds the exact query for %j', async (partial, rawQuery) => {
    await plivo.search(query(partial), ctx());
    expect(emu.requests('plivo')[0].rawQuery).toBe(rawQuery);
  });

  it('maps every feature set to the most specific documented services value that excludes no match', () => {
    const value = (f: Parameters<typeof servicesFor>[0]) => servicesFor(f)?.value;
    expect(value([])).toBeUndefined();
    expect(value(['voice'])).toBe('voice');
    expect(value(['sms'])).toBe('sms');
    expect(value(['mms'])).toBe('mms');
    expect(value(['sms', 'voice'])).toBe('voice,sms');
    expect(value(['mms', 'sms'])).toBe('mms');
    expect(value(['mms', 'voice'])).toBe('mms');
    expect(value(['mms', 'sms', 'voice'])).toBe('voice,sms,mms');
  });

  it('supports every type in any country libphonenumber knows, but no fax', () => {
    for (const phoneNumberType of ['local', 'toll_free', 'mobile', 'national'] as const) {
      expect(plivo.supports(query({ countryCode: 'GB', phoneNumberType }))).toBe(true);
    }
    expect(plivo.supports(query({ countryCode: 'US', features: ['fax'] }))).toBe(false);
    expect(plivo.supports(query({ countryCode: 'XX' }))).toBe(false);
  });
});

describe('plivo adapter: paging (limit is capped at 20)', () => {
  it('fills 50 with offsets 0, 20 and 40, asking only for what is still missing', async () => {
    const numbers = await plivo.search(query({ countryCode: 'US', limit: 50 }), ctx());
    expect(paging()).toEqual([['0', '20'], ['20', '20'], ['40', '10']]);
    expect(numbers).toHaveLength(50);
    expect(new Set(numbers.map((n) => n.phoneNumber)).size).toBe(50);
    const held = new Set(emu.inventory('plivo').filter((n) => n.country === 'US' && n.type === 'local').map((n) => n.e164));
    expect(numbers.every((n) => held.has(n.phoneNumber))).toBe(true);
  });

  it('stops when meta.next is null, and when it is ""', async () => {
    const total = emu.inventory('plivo').filter((n) => n.e164.startsWith('+1415')).length;
    expect(total).toBeGreaterThan(20);
    expect(total).toBeLessThan(40);
    for (const emptyLinks of [false, true]) {
      emu.reset();
      emu.setBehaviour('plivo', { options: { emptyLinks } });
      const numbers = await plivo.search(query({ countryCode: 'US', areaCode: '415', limit: 50 }), ctx());
      expect(numbers).toHaveLength(total);
      expect(paging()).toEqual([['0', '20'], ['20', '20']]);
      expect((await replay(1)).meta.next).toBe(emptyLinks ? '' : null);
    }
  });

  it('post-filters full pages when services is looser than the query', async () => {
    const numbers = await plivo.search(query({ countryCode: 'US', features: ['mms', 'sms'], limit: 30 }), ctx());
    expect(numbers).toHaveLength(30);
    for (const n of numbers) expect(n.features).toEqual(expect.arrayContaining(['sms', 'mms']));
    const requests = emu.requests('plivo');
    expect(requests.every((r) => new URLSearchParams(r.rawQuery).get('services') === 'mms')).toBe(true);
    // Full pages, since the post-filter may drop some (the scripted test below shows it dropping).
    expect(paging()).toEqual([['0', '20'], ['20', '20']]);
  });

  it(`reads at most ${PLIVO_MAX_PAGES} pages however many numbers the post-filter drops`, async () => {
    const { calls, adapter } = scripted((req) => {
      const offset = Number(req.query!.get('offset'));
      return { api_id: 'x', error: '', meta: { next: '/more', total_count: 10_000 }, objects: [item(offset, { mms_enabled: false, sms_enabled: true })] };
    });
    expect(await adapter.search(query({ features: ['mms', 'sms'], limit: 50 }), ctx())).toEqual([]);
    expect(calls).toHaveLength(PLIVO_MAX_PAGES);
  });

  it('stops when a page has no objects although meta.next names one', async () => {
    const { calls, adapter } = scripted((req) => {
      const offset = Number(req.query!.get('offset'));
      const objects = offset < 60 ? Array.from({ length: 20 }, (_, i) => item(offset + i)) : [];
      return { api_id: 'x', error: '', meta: { next: '/more' }, objects };
    });
    // The post-filter drops everything (voice only); pages 20, 40 and 60 are asked for together, and the
    // empty page 60 ends the search below PLIVO_MAX_PAGES although next names another page.
    expect(await adapter.search(query({ features: ['mms', 'sms'], limit: 50 }), ctx())).toEqual([]);
    const { calls: exactCalls, adapter: exact } = scripted((req) => {
      const offset = Number(req.query!.get('offset'));
      const objects = offset < 40 ? Array.from({ length: 20 }, (_, i) => item(offset + i)) : [];
      return { api_id: 'x', error: '', meta: { next: '/more' }, objects };
    });
    expect(await exact.search(query({ limit: 50 }), ctx())).toHaveLength(40);
    expect(calls.map((q) => q.get('offset'))).toEqual(['0', '20', '40', '60']);
    expect(exactCalls.map((q) => [q.get('offset'), q.get('limit')])).toEqual([['0', '20'], ['20', '20'], ['40', '10']]);
  });

  it('fails the whole search when a later page fails (here Plivo\'s real per-account limit)', async () => {
    const own = new EmulatorServer([plivoEmulator], {
      credentials: { plivo: { authId: 'MAPAGINGLIMIT0000001', authToken: 'PagingLimitToken00000000000000000001' } },
      behaviours: { plivo: { options: { rateLimit: { requests: 1, windowMs: 60_000 } } } },
    });
    await own.listen();
    try {
      const adapter = createProviderFromEnv(plivoProvider, own.env());
      const e = await failure(adapter.search(query({ limit: 40 }), ctx()));
      expect(e).toMatchObject({ kind: 'rate_limited', httpStatus: 429, message: 'too many requests' });
      expect(e.retryAfterSeconds).toBeGreaterThan(0);
      expect(own.requests('plivo').map((r) => r.status)).toEqual([200, 429]);
    } finally {
      await own.close();
    }
  });
});

describe('plivo adapter: normalisation', () => {
  it('returns E.164 numbers, features from the booleans, and the city as locality', async () => {
    const numbers = await plivo.search(query({ countryCode: 'US', areaCode: '415', limit: 20 }), ctx());
    expect(numbers).toHaveLength(20);
    const raw = await replay();
    const inventory = new Map(emu.inventory('plivo').map((n) => [n.e164, n]));
    // Some answers lack mms_enabled: missing means false.
    expect(raw.objects.some((o: object) => !('mms_enabled' in o))).toBe(true);
    for (const [i, n] of numbers.entries()) {
      expect(n.phoneNumber).toBe(`+${raw.objects[i].number}`);
      expect(n.phoneNumber).toMatch(/^\+1415\d{7}$/);
      const source = inventory.get(n.phoneNumber)!;
      expect([...n.features].sort()).toEqual(source.features.filter((f) => f !== 'fax').sort());
      expect(n.locality).toBe('SAN FRANCISCO');
      expect(n.rateCenter).toBe('SNFC CNTRL');
      // `region` is "city and country" (§8): no administrative area.
      expect(n).not.toHaveProperty('administrativeArea');
    }
  });

  it('leaves locality out where city is null (national, toll-free)', async () => {
    for (const q of [query({ countryCode: 'GB', phoneNumberType: 'national', limit: 5 }), query({ countryCode: 'US', phoneNumberType: 'toll_free', limit: 5 })]) {
      const numbers = await plivo.search(q, ctx());
      expect(numbers).toHaveLength(5);
      for (const n of numbers) expect(n).not.toHaveProperty('locality');
    }
  });

  it('gets numbers having every service named (AND)', async () => {
    const numbers = await plivo.search(query({ countryCode: 'GB', features: ['sms', 'voice'], limit: 10 }), ctx());
    expect(numbers).toHaveLength(10);
    for (const n of numbers) expect(n.features).toEqual(expect.arrayContaining(['sms', 'voice']));
  });

  it('skips malformed objects and keeps the good ones', async () => {
    emu.setBehaviour('plivo', { options: { malformedItems: true } });
    const numbers = await plivo.search(query({ countryCode: 'GB', areaCode: '20', limit: 4 }), ctx());
    expect(numbers).toHaveLength(4);
    for (const n of numbers) expect(n.phoneNumber).toMatch(/^\+4420\d{8}$/);
    expect((await replay()).objects).toHaveLength(8);
  });

  it.each([
    ['error', (b: Record<string, unknown>) => expect(b).toMatchObject({ error: expect.stringMatching(/\S/), objects: [], meta: { total_count: 0 } })],
    ['plain', (b: Record<string, unknown>) => expect(b).toMatchObject({ error: '', objects: [] })],
    ['error_only', (b: Record<string, unknown>) => expect(Object.keys(b).sort()).toEqual(['api_id', 'error'])],
  ])('treats the empty shape %s as no numbers, not a failure', async (emptyShape, check) => {
    emu.setBehaviour('plivo', { options: { emptyShape } });
    // No French inventory.
    expect(await plivo.search(query({ countryCode: 'FR' }), ctx())).toEqual([]);
    expect(emu.requests('plivo')).toHaveLength(1);
    const res = await search(emu.requests('plivo')[0].rawQuery);
    expect(res.status).toBe(200);
    check(await jsonOf(res));
  });

  it.each([
    ['no objects and an empty error', '{"api_id":"x","error":""}'],
    ['objects that are not an array', '{"api_id":"x","error":"","objects":"none"}'],
    ['an array', '[]'],
    ['not JSON', '<html>'],
  ])('tells an empty answer from a wrong one: %s is bad_response', async (_what, body) => {
    const { adapter } = scripted(() => body);
    expect(await failure(adapter.search(query(), ctx()))).toMatchObject({ kind: 'bad_response', httpStatus: 200 });
  });
});

describe('plivo adapter: errors', () => {
  it.each([
    [400, 'invalid_request', 'invalid country ISO'],
    [401, 'auth_failed', 'authentication failed'],
    [404, 'invalid_request', 'not found'],
    [405, 'invalid_request', 'method not allowed'],
    [500, 'unavailable', 'internal server error'],
    [503, 'unavailable', 'service unavailable'],
  ])('maps HTTP %i to %s with the carrier\'s message and no code (Plivo has none)', async (status, kind, message) => {
    emu.setBehaviour('plivo', { fault: { type: 'error', status } });
    const e = await failure(plivo.search(query(), ctx()));
    expect({ kind: e.kind, providerCode: e.providerCode, httpStatus: e.httpStatus, provider: e.provider, message: e.message }).toEqual({
      kind,
      providerCode: undefined,
      httpStatus: status,
      provider: 'plivo',
      message,
    });
  });

  it('maps a real 400 from the emulator to invalid_request', async () => {
    // A country libphonenumber knows nothing of never reaches Plivo; a direct 400 is mapped from its body.
    const res = await search('country_iso=USA');
    const e = plivoError(new ProviderResponse('plivo', res.status, {}, await res.text()));
    expect(e).toMatchObject({ kind: 'invalid_request', httpStatus: 400, message: 'invalid country ISO' });
  });

  it('maps 429 to rate_limited, with the wait when Retry-After is sent and without it otherwise', async () => {
    emu.setBehaviour('plivo', { fault: { type: 'rate_limit', retryAfterSeconds: 4 } });
    expect(await failure(plivo.search(query(), ctx()))).toMatchObject({ kind: 'rate_limited', httpStatus: 429, retryAfterSeconds: 4 });
    emu.setBehaviour('plivo', { fault: { type: 'rate_limit' } });
    const e = await failure(plivo.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'rate_limited', message: 'too many requests' });
    expect(e.retryAfterSeconds).toBeUndefined();
  });

  it('maps by status when the error body is empty, and keeps an object-valued error readable', () => {
    expect(plivoError(new ProviderResponse('plivo', 502, {}, ''))).toMatchObject({ kind: 'unavailable', message: 'answered HTTP 502' });
    expect(plivoError(new ProviderResponse('plivo', 400, {}, '{"api_id":"x","error":{"limit":["must be an integer"]}}'))).toMatchObject({
      kind: 'invalid_request',
      message: '{"limit":["must be an integer"]}',
    });
  });

  itMapsTransportFaults('plivo', () => ({ emu, provider: plivo }), { search: { limit: 50 } });

  it('rejects a wrong token with Plivo\'s own 401 body, and never puts credentials in an error', async () => {
    const bad = createProviderFromEnv(plivoProvider, { ...emu.env(), PLIVO_AUTH_TOKEN: 'WrongPlivoToken99' });
    const e = await failure(bad.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'auth_failed', httpStatus: 401, message: 'authentication failed' });
    expect(JSON.stringify(e.toLog())).not.toContain('WrongPlivoToken99');
    const faults = [
      { type: 'error', status: 401 }, { type: 'error', status: 500 }, { type: 'rate_limit' }, { type: 'garbage' },
      { type: 'html' }, { type: 'wrong_shape' }, { type: 'truncated' }, { type: 'reset' },
    ] as const;
    for (const fault of faults) {
      emu.setBehaviour('plivo', { fault });
      const log = JSON.stringify((await failure(plivo.search(query(), ctx()))).toLog());
      expect(log).not.toContain(TOKEN);
      expect(log).not.toContain(BASIC.slice(6));
    }
  });
});

describe('plivo emulator: rejects what Plivo rejects', () => {
  it('answers 401 without an api_id: no credentials, a wrong token, or an auth id in the path that is not the user', async () => {
    const noAuth = await search('country_iso=US', {});
    expect(noAuth.status).toBe(401);
    expect(await jsonOf(noAuth)).toEqual({ error: 'authentication credentials were not provided' });
    const wrong = await search('country_iso=US', { authorization: `Basic ${Buffer.from(`${AUTH_ID}:nope`).toString('base64')}` });
    expect(wrong.status).toBe(401);
    expect(await jsonOf(wrong)).toEqual({ error: 'authentication failed' });
    const otherPath = await search('country_iso=US', { authorization: BASIC }, '/v1/Account/MAOTHERACCOUNT0000001/PhoneNumber/');
    expect(otherPath.status).toBe(401);
    expect(await jsonOf(otherPath)).toEqual({ error: 'authentication failed' });
  });

  it('answers 404 for the path without its trailing slash', async () => {
    const res = await search('country_iso=US', { authorization: BASIC }, PATH.slice(0, -1));
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toEqual({ api_id: expect.any(String), error: 'not found' });
  });

  it.each([
    ['a missing country_iso', 'type=local', 'invalid country ISO'],
    ['a malformed country_iso', 'country_iso=USA', 'invalid country ISO'],
    ['an unknown country_iso', 'country_iso=XX', 'invalid country ISO'],
    ['an unknown type', 'country_iso=US&type=toll_free', "invalid type 'toll_free': should be one of local, tollfree, mobile, national, fixed"],
    ['upper-case services', 'country_iso=US&services=SMS', "invalid services 'SMS': should be one of voice, sms, mms, voice,sms, voice,sms,mms"],
    ['an undocumented services value', 'country_iso=US&services=sms%2Cmms', "invalid services 'sms,mms': should be one of voice, sms, mms, voice,sms, voice,sms,mms"],
    ['fax', 'country_iso=US&services=fax', "invalid services 'fax': should be one of voice, sms, mms, voice,sms, voice,sms,mms"],
    ['a non-numeric limit', 'country_iso=US&limit=ten', "Invalid limit 'ten' provided. Please provide a positive integer."],
    ['a negative offset', 'country_iso=US&offset=-1', "Invalid offset '-1' provided. Please provide a positive integer >= 0."],
  ])('answers 400 {api_id, error} for %s', async (_what, qs, error) => {
    const res = await search(qs);
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toEqual({ api_id: expect.stringMatching(/^[0-9a-f-]{36}$/), error });
  });

  it('caps limit at 20 (clamped, as meta.limit says)', async () => {
    const body = await jsonOf(await search('country_iso=US&type=local&limit=50'));
    expect(body.objects).toHaveLength(20);
    expect(body.meta.limit).toBe(20);
  });

  it('answers api_id, "error": "", meta and objects in Plivo\'s shape', async () => {
    const body = await jsonOf(await search('country_iso=US&type=local&pattern=415&limit=5'));
    expect(Object.keys(body).sort()).toEqual(['api_id', 'error', 'meta', 'objects']);
    expect(body.error).toBe('');
    expect(body.meta).toEqual({
      limit: 5,
      next: `${PATH}?country_iso=US&type=local&pattern=415&limit=5&offset=5`,
      offset: 0,
      previous: null,
      total_count: emu.inventory('plivo').filter((n) => n.e164.startsWith('+1415')).length,
    });
    for (const o of body.objects) {
      expect(o).toMatchObject({
        number: expect.stringMatching(/^1415\d{7}$/),
        prefix: '415',
        city: 'SAN FRANCISCO',
        country: 'UNITED STATES',
        region: 'United States',
        rate_center: 'SNFC CNTRL',
        type: 'fixed',
        sub_type: 'local',
        sms_enabled: expect.any(Boolean),
        voice_enabled: expect.any(Boolean),
        monthly_rental_rate: expect.stringMatching(/^\d+\.\d{5}$/),
        resource_uri: `${PATH}${o.number}/`,
      });
      expect(['number', 'string']).toContain(typeof o.lata);
    }
  });

  it('implies the country code in pattern, applies services as AND, and types local/national as fixed', async () => {
    const gb = await jsonOf(await search('country_iso=GB&type=local&pattern=20&services=voice%2Csms&limit=20'));
    expect(gb.objects.length).toBeGreaterThan(0);
    for (const o of gb.objects) {
      expect(o.number).toMatch(/^4420/);
      expect(o).toMatchObject({ sms_enabled: true, voice_enabled: true, type: 'fixed', country: 'UNITED KINGDOM' });
    }
    const national = await jsonOf(await search('country_iso=GB&type=national&limit=3'));
    for (const o of national.objects) expect(o).toMatchObject({ type: 'fixed', sub_type: 'national', city: null });
    const tollFree = await jsonOf(await search('country_iso=US&type=tollfree&limit=3'));
    for (const o of tollFree.objects) expect(o).toMatchObject({ type: 'tollfree', sub_type: 'tollfree' });
  });

  it('pages with offset: disjoint pages, previous and next links, next null on the last page', async () => {
    const total = emu.inventory('plivo').filter((n) => n.country === 'GB' && n.type === 'local').length;
    const first = await jsonOf(await search('country_iso=GB&type=local&limit=20&offset=0'));
    const second = await jsonOf(await search('country_iso=GB&type=local&limit=20&offset=20'));
    const last = await jsonOf(await search(`country_iso=GB&type=local&limit=20&offset=${total - 3}`));
    const firstSet = new Set(first.objects.map((o: { number: string }) => o.number));
    expect(second.objects.some((o: { number: string }) => firstSet.has(o.number))).toBe(false);
    expect(second.meta.previous).toBe(`${PATH}?country_iso=GB&type=local&limit=20&offset=0`);
    expect(last.objects).toHaveLength(3);
    expect(last.meta).toMatchObject({ next: null, total_count: total });
  });

  it('enforces 300 requests per window per account, with a Retry-After, then lets requests through again', async () => {
    const own = new EmulatorServer([plivoEmulator], {
      credentials: { plivo: { authId: 'MARATELIMITED0000001', authToken: 'RateLimitedToken000000000000000000001' } },
    });
    await own.listen();
    try {
      const env = own.env();
      const auth = `Basic ${Buffer.from(`${env.PLIVO_AUTH_ID}:${env.PLIVO_AUTH_TOKEN}`).toString('base64')}`;
      const url = `${own.url}/plivo/v1/Account/${env.PLIVO_AUTH_ID}/PhoneNumber/?country_iso=US&limit=1`;
      const get = () => fetch(url, { headers: { authorization: auth } });
      // The documented 300 in a window long enough that this machine's speed cannot matter.
      own.setBehaviour('plivo', { options: { rateLimit: { requests: 300, windowMs: 120_000 } } });
      const statuses: number[] = [];
      for (let batch = 0; batch < 6; batch++) {
        statuses.push(...(await Promise.all(Array.from({ length: 50 }, async () => (await get()).status))));
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(300);
      const limited = await get();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await jsonOf(limited)).toEqual({ api_id: expect.any(String), error: 'too many requests' });
      // Sliding: once the window no longer holds them, the same requests count for nothing.
      own.setBehaviour('plivo', { options: { rateLimit: { requests: 300, windowMs: 1 } } });
      await new Promise((r) => setTimeout(r, 20));
      expect((await get()).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});
