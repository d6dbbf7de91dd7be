import { EmulatorServer } from '../../emulators/core/server';
import { telnyxEmulator } from '../../emulators/telnyx/telnyx.emulator';
import { ProviderError } from '../../src/providers/provider-error';
import type { NumberProvider } from '../../src/providers/provider.interface';
import { telnyxProvider } from '../../src/providers/telnyx/telnyx.provider';
import { createProviderFromEnv, ctx, query } from '../support/provider-under-test';

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const jsonOf = (res: Response): Promise<any> => res.json();

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe('telnyx adapter: wire request', () => {
  it('wraps every filter in filter[...], asks for exact matches and sends the key as a bearer token', async () => {
    await telnyx.search(query({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 7 }), ctx());
    const [req] = emu.requests('telnyx');
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/v2/available_phone_numbers');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
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
  it('returns E.164 numbers with features, locality and state from region_information', async () => {
    const numbers = await telnyx.search(query({ countryCode: 'US', areaCode: '415', limit: 5 }), ctx());
    expect(numbers).toHaveLength(5);
    const inventory = new Map(emu.inventory('telnyx').map((n) => [n.e164, n]));
    for (const n of numbers) {
      const source = inventory.get(n.phoneNumber)!;
      expect(source).toBeDefined();
      expect(n.phoneNumber).toMatch(/^\+1415\d{7}$/);
      expect(n.administrativeArea).toBe('CA');
      expect(n.locality).toBe('SNFC CNTRL');
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
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.every((n) => n.phoneNumber.startsWith('+1415'))).toBe(true);
    // The emulator really sent near matches.
    expect(emu.requests('telnyx')).toHaveLength(1);
  });

  it('accepts meta instead of metadata, and an empty answer', async () => {
    emu.setBehaviour('telnyx', { options: { metaKey: 'meta' } });
    expect((await telnyx.search(query({ countryCode: 'US', limit: 2 }), ctx())).length).toBe(2);
    expect(await telnyx.search(query({ countryCode: 'FR' }), ctx())).toEqual([]);
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

  it('maps 429 with x-ratelimit-reset to rate_limited with the wait', async () => {
    emu.setBehaviour('telnyx', { fault: { type: 'rate_limit', retryAfterSeconds: 7 } });
    const e = await failure(telnyx.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'rate_limited', providerCode: '10011', httpStatus: 429, retryAfterSeconds: 7 });
  });

  it.each([
    ['garbage', 'bad_response'],
    ['html', 'bad_response'],
    ['wrong_shape', 'bad_response'],
    ['truncated', 'bad_response'],
    ['reset', 'unavailable'],
  ] as const)('maps a %s answer to %s', async (type, kind) => {
    emu.setBehaviour('telnyx', { fault: { type } });
    expect((await failure(telnyx.search(query(), ctx()))).kind).toBe(kind);
  });

  it('maps an oversized body to bad_response', async () => {
    emu.setBehaviour('telnyx', { fault: { type: 'oversized', bytes: 2 * 1024 * 1024 } });
    expect((await failure(telnyx.search(query(), ctx()))).kind).toBe('bad_response');
  });

  it('gives up on a hang when its signal fires, and the emulator sees the connection closed', async () => {
    emu.setBehaviour('telnyx', { fault: { type: 'hang' } });
    const e = await failure(telnyx.search(query(), ctx(AbortSignal.timeout(200))));
    expect(e.kind).toBe('timeout');
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.openRequests('telnyx')).toBe(0);
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
    const body = await jsonOf(await fetch(`${url()}?country_code=US&national_destination_code=415&filter[limit]=20`, { headers: { authorization: `Bearer ${KEY}` } }));
    expect(body.data.some((d: { phone_number: string }) => !d.phone_number.startsWith('+1415'))).toBe(true);
  });
});
