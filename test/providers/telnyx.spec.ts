import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { telnyxEmulator } from '../../emulators/telnyx/telnyx.emulator';
import { ProviderResponse } from '../../src/providers/http/provider-http-client';
import { ProviderError } from '../../src/domain/provider-error';
import type { NumberProvider } from '../../src/domain/number-provider';
import { telnyxError } from '../../src/providers/telnyx/telnyx.errors';
import { telnyxProvider } from '../../src/providers/telnyx/telnyx.provider';
import { itMapsTransportFaults } from '../support/transport-faults';
import { createProviderFromEnv, ctx, query, failure, jsonOf } from '../support/provider-under-test';

let emu: EmulatorServer;
let telnyx: NumberProvider;
const KEY = telnyxEmulator.defaultCredentials.apiKey;

beforeAll(async () => {
  emu = new EmulatorServer([telnyxEmulator]);
  await emu.listen();
  telnyx = createProviderFromEnv(telnyxProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());


describe('telnyx adapter: wire request', () => {
  it('wraps every filter in filter[...], asks for exact matches and sends the key as a bearer token', async () => {
    await telnyx.search(query({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 7 }), ctx());
    const [req] = emu.requests('telnyx');
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/v2/available_phone_numbers');
    expect(req.headers.authorization).toBe(redactAuthorization(`Bearer ${KEY}`));
    expect(req.rawQuery).toBe(
      'filter%5Bcountry_code%5D=US&filter%5Bnational_destination_code%5D=415&filter%5Bphone_number_type%5D=local' +
        '&filter%5Bfeatures%5D=sms%2Cvoice&filter%5Blimit%5D=7&filter%5Bbest_effort%5D=false',
    );
    // No parameter outside filter[...]: Telnyx would silently ignore it.
    expect([...new URLSearchParams(req.rawQuery).keys()].every((k) => /^filter\[[a-z_]+\]$/.test(k))).toBe(true);
  });

  it('sends the requested type and omits the optional filters when not asked', async () => {
    await telnyx.search(query({ countryCode: 'GB', phoneNumberType: 'toll_free', limit: 3 }), ctx());
    expect(Object.fromEntries(new URLSearchParams(emu.requests('telnyx')[0].rawQuery))).toEqual({
      'filter[country_code]': 'GB',
      'filter[phone_number_type]': 'toll_free',
      'filter[limit]': '3',
      'filter[best_effort]': 'false',
    });
  });
});

describe('telnyx adapter: normalisation', () => {
  it('returns E.164 numbers with features, state and the rate centre (tagged as such, never a locality) from region_information', async () => {
    const numbers = await telnyx.search(query({ countryCode: 'US', areaCode: '415', limit: 5 }), ctx());
    expect(numbers).toHaveLength(5);
    const inventory = new Map(emu.inventory('telnyx').map((n) => [n.e164, n]));
    for (const n of numbers) {
      const source = inventory.get(n.phoneNumber)!;
      expect(source).toBeDefined();
      expect(n.phoneNumber).toMatch(/^\+1415\d{7}$/);
      expect(n.administrativeArea).toBe('CA');
      // SNFC CNTRL is a rate-centre code no caller can read: handed over as one, the engine derives the place.
      expect(n.locality).toBeUndefined();
      expect(n.rateCenter).toBe('SNFC CNTRL');
      expect([...n.features].sort()).toEqual([...source.features].sort());
      expect(n.features).not.toContain('emergency');
    }
  });

  it('takes the locality from a location region outside North America', async () => {
    const numbers = await telnyx.search(query({ countryCode: 'DE', areaCode: '30', limit: 2 }), ctx());
    expect(numbers[0]).toMatchObject({ locality: 'Berlin', administrativeArea: undefined });
  });

  it('drops best_effort items even when the carrier sends them despite best_effort=false', async () => {
    emu.setBehaviour('telnyx', { options: { bestEffort: true, ignoreBestEffortFalse: true } });
    const numbers = await telnyx.search(query({ countryCode: 'US', areaCode: '415', limit: 6 }), ctx());
    expect(numbers).toHaveLength(6);
    expect(numbers.every((n) => n.phoneNumber.startsWith('+1415'))).toBe(true);
    // The same request really brought near matches from other area codes.
    const [req] = emu.requests('telnyx');
    const body = await jsonOf(await fetch(`${emu.url}/telnyx${req.path}?${req.rawQuery}`, { headers: { authorization: `Bearer ${KEY}` } }));
    const near = body.data.filter((d: { best_effort: boolean }) => d.best_effort);
    expect(near.length).toBeGreaterThan(0);
    expect(near.every((d: { phone_number: string }) => !d.phone_number.startsWith('+1415'))).toBe(true);
    expect(body.metadata.best_effort_results).toBe(near.length);
  });

  it('emulator: best_effort items come only when filter[best_effort] is not false', async () => {
    emu.setBehaviour('telnyx', { options: { bestEffort: true } });
    const headers = { authorization: `Bearer ${KEY}` };
    const url = `${emu.url}/telnyx/v2/available_phone_numbers?filter[country_code]=US&filter[national_destination_code]=415&filter[limit]=6`;
    const flagged = (b: { data: { best_effort: boolean }[] }) => b.data.filter((d) => d.best_effort).length;
    expect(flagged(await jsonOf(await fetch(url, { headers })))).toBeGreaterThan(0);
    expect(flagged(await jsonOf(await fetch(`${url}&filter[best_effort]=true`, { headers })))).toBeGreaterThan(0);
    expect(flagged(await jsonOf(await fetch(`${url}&filter[best_effort]=false`, { headers })))).toBe(0);
  });

  it('skips malformed items and keeps the good ones', async () => {
    emu.setBehaviour('telnyx', { options: { malformedItems: true } });
    const numbers = await telnyx.search(query({ countryCode: 'US', areaCode: '312', limit: 4 }), ctx());
    expect(numbers).toHaveLength(4);
    for (const n of numbers) expect(n.phoneNumber).toMatch(/^\+1312\d{7}$/);
    const [req] = emu.requests('telnyx');
    const body = await jsonOf(await fetch(`${emu.url}/telnyx${req.path}?${req.rawQuery}`, { headers: { authorization: `Bearer ${KEY}` } }));
    expect(body.data).toHaveLength(8);
  });

  it.each(['meta', 'metadata', 'both', 'none'])('accepts an answer whose counts are under %s, and empty answers', async (metaKey) => {
    emu.setBehaviour('telnyx', { options: { metaKey } });
    expect(await telnyx.search(query({ countryCode: 'US', limit: 2 }), ctx())).toHaveLength(2);
    // No French inventory: `data: []`.
    expect(await telnyx.search(query({ countryCode: 'FR' }), ctx())).toEqual([]);
    const [, empty] = emu.requests('telnyx');
    const body = await jsonOf(await fetch(`${emu.url}/telnyx${empty.path}?${empty.rawQuery}`, { headers: { authorization: `Bearer ${KEY}` } }));
    expect(body.data).toEqual([]);
    expect(Object.keys(body).sort()).toEqual({ meta: ['data', 'meta'], metadata: ['data', 'metadata'], both: ['data', 'meta', 'metadata'], none: ['data'] }[metaKey]);
  });
});

describe('telnyx adapter: errors', () => {
  it.each([
    [401, 'auth_failed', '10009'],
    [403, 'auth_failed', '10010'],
    [400, 'invalid_request', '10015'],
    [422, 'invalid_request', '10015'],
    [500, 'unavailable', '10007'],
    [503, 'unavailable', '10007'],
  ])('maps HTTP %i to %s with code %s', async (status, kind, code) => {
    emu.setBehaviour('telnyx', { fault: { type: 'error', status } });
    const e = await failure(telnyx.search(query(), ctx()));
    expect({ kind: e.kind, providerCode: e.providerCode, httpStatus: e.httpStatus, provider: e.provider }).toEqual({ kind, providerCode: code, httpStatus: status, provider: 'telnyx' });
    expect(e.message).not.toContain(KEY);
  });

  it.each([
    ['20012', 'insufficient_funds'],
    ['20100', 'insufficient_funds'],
    ['20013', 'account_suspended'],
    ['20014', 'account_suspended'],
  ])('maps the account-level code %s to %s whatever the HTTP status', async (code, kind) => {
    emu.setBehaviour('telnyx', { options: { accountError: code } });
    const e = await failure(telnyx.search(query(), ctx()));
    expect(e).toMatchObject({ kind, providerCode: code, httpStatus: 403 });
  });

  it.each([
    [400, '10007', 'invalid_request'],
    [422, '10008', 'invalid_request'],
    [404, '10007', 'invalid_request'],
    [403, '10007', 'auth_failed'],
    [500, '10008', 'timeout'],
    [503, '10015', 'unavailable'],
  ])('decides by the status first: HTTP %i with code %s is %s', async (status, code, kind) => {
    emu.setBehaviour('telnyx', { options: { codedError: { status, code } } });
    const e = await failure(telnyx.search(query(), ctx()));
    expect(e).toMatchObject({ kind, providerCode: code, httpStatus: status });
    // A refused request (4xx) is never worth sending again, whatever its code says; a 5xx always may be.
    expect(e.retryable).toBe(status >= 500);
  });

  it('maps 10004 (missing parameter) to invalid_request and an unknown code by its status', () => {
    const res = (status: number, code: string) =>
      new ProviderResponse('telnyx', status, {}, JSON.stringify({ errors: [{ code, title: 'Missing required parameter', detail: 'filter is required' }] }));
    expect(telnyxError(res(422, '10004'))).toMatchObject({ kind: 'invalid_request', providerCode: '10004', message: 'Missing required parameter: filter is required' });
    expect(telnyxError(res(503, '99999'))).toMatchObject({ kind: 'unavailable', providerCode: '99999' });
    // No body at all: the status decides.
    expect(telnyxError(new ProviderResponse('telnyx', 429, {}, ''))).toMatchObject({ kind: 'rate_limited', providerCode: undefined });
  });

  it('maps 429 with x-ratelimit-reset to rate_limited with the wait', async () => {
    emu.setBehaviour('telnyx', { fault: { type: 'rate_limit', retryAfterSeconds: 7 } });
    const e = await failure(telnyx.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'rate_limited', providerCode: '10011', httpStatus: 429, retryAfterSeconds: 7 });
  });

  itMapsTransportFaults('telnyx', () => ({ emu, provider: telnyx }));

  it('never puts the API key in an error message, whatever the failure', async () => {
    const faults = [
      { type: 'error', status: 401 }, { type: 'error', status: 500 }, { type: 'rate_limit' }, { type: 'garbage' },
      { type: 'html' }, { type: 'wrong_shape' }, { type: 'truncated' }, { type: 'reset' },
    ] as const;
    for (const fault of faults) {
      emu.setBehaviour('telnyx', { fault });
      const e = await failure(telnyx.search(query(), ctx()));
      expect(`${e.message} ${JSON.stringify(e.toLog())}`).not.toContain(KEY);
    }
    const bad = createProviderFromEnv(telnyxProvider, { ...emu.env(), TELNYX_API_KEY: 'KEY_wrong_secret' });
    emu.setBehaviour('telnyx', { fault: { type: 'none' } });
    expect(JSON.stringify((await failure(bad.search(query(), ctx()))).toLog())).not.toContain('KEY_wrong_secret');
  });


  it('rejects a wrong key with Telnyx\'s own 401 body', async () => {
    const bad = createProviderFromEnv(telnyxProvider, { ...emu.env(), TELNYX_API_KEY: 'KEY_wrong' });
    expect(await failure(bad.search(query(), ctx()))).toMatchObject({ kind: 'auth_failed', providerCode: '10009', message: expect.stringContaining('Authentication failed') });
  });
});

describe('telnyx emulator: rejects what Telnyx rejects, ignores what Telnyx ignores', () => {
  const url = () => `${emu.url}/telnyx/v2/available_phone_numbers`;
  it('answers 401 with code 10009 without a bearer key', async () => {
    const res = await fetch(`${url()}?filter[country_code]=US`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).errors[0].code).toBe('10009');
  });

  it('answers 422 with 10015 for a bad type', async () => {
    const res = await fetch(`${url()}?filter[phone_number_type]=toll-free`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(422);
    expect((await jsonOf(res)).errors[0]).toMatchObject({ code: '10015', source: { parameter: 'filter[phone_number_type]' } });
  });

  it('accepts literal brackets and all three features forms', async () => {
    const headers = { authorization: `Bearer ${KEY}` };
    for (const f of ['filter[features]=sms,mms', 'filter[features][]=sms&filter[features][]=mms', 'filter[features]=sms&filter[features]=mms']) {
      const body = await jsonOf(await fetch(`${url()}?filter[country_code]=US&filter[limit]=5&${f}`, { headers }));
      expect(body.data).toHaveLength(5);
      for (const item of body.data) expect(item.features.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['sms', 'mms']));
    }
  });

  it('ignores unwrapped parameters, returning unrelated numbers (as the real API does)', async () => {
    const headers = { authorization: `Bearer ${KEY}` };
    const unwrapped = await jsonOf(await fetch(`${url()}?country_code=US&national_destination_code=415&filter[limit]=20`, { headers }));
    expect(unwrapped.data.some((d: { phone_number: string }) => !d.phone_number.startsWith('+1415'))).toBe(true);
    // The same filters wrapped, with literal or percent-encoded brackets, are applied.
    for (const q of ['filter[country_code]=US&filter[national_destination_code]=415', 'filter%5Bcountry_code%5D=US&filter%5Bnational_destination_code%5D=415']) {
      const wrapped = await jsonOf(await fetch(`${url()}?${q}&filter[limit]=20`, { headers }));
      expect(wrapped.data).toHaveLength(20);
      expect(wrapped.data.every((d: { phone_number: string }) => d.phone_number.startsWith('+1415'))).toBe(true);
    }
  });

  it('answers items without type or locality fields, features as objects, region_information in varying order', async () => {
    const body = await jsonOf(await fetch(`${url()}?filter[country_code]=US&filter[limit]=5`, { headers: { authorization: `Bearer ${KEY}` } }));
    const orders = new Set<string>();
    for (const item of body.data) {
      expect(item).not.toHaveProperty('phone_number_type');
      expect(item).not.toHaveProperty('locality');
      expect(item.features.every((f: unknown) => typeof f === 'object')).toBe(true);
      orders.add(item.region_information.map((r: { region_type: string }) => r.region_type).join(','));
    }
    expect(orders.size).toBeGreaterThan(1);
  });
});
