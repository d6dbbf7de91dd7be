import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { vonageEmulator } from '../../emulators/vonage/vonage.emulator';
import { ProviderResponse } from '../../src/providers/http/provider-http-client';
import { ProviderError } from '../../src/domain/provider-error';
import type { NumberProvider } from '../../src/domain/number-provider';
import { vonageError } from '../../src/providers/vonage/vonage.errors';
import { featuresValue, vonageProvider, vonageQuery } from '../../src/providers/vonage/vonage.provider';
import { itMapsTransportFaults } from '../support/transport-faults';
import { createProviderFromEnv, ctx, query, failure, jsonOf } from '../support/provider-under-test';

let emu: EmulatorServer;
let vonage: NumberProvider;
const { apiKey: KEY, apiSecret: SECRET } = vonageEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;

beforeAll(async () => {
  emu = new EmulatorServer([vonageEmulator]);
  await emu.listen();
  vonage = createProviderFromEnv(vonageProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const search = (qs: string, headers: Record<string, string> = { authorization: BASIC }) => fetch(`${emu.url}/vonage/number/search?${qs}`, { headers });
/** Replays the adapter's last request as it was sent, to see the carrier's raw answer. */
async function replay(i = 0) {
  const req = emu.requests('vonage')[i];
  return jsonOf(await fetch(`${emu.url}/vonage${req.path}?${req.rawQuery}`, { headers: { authorization: BASIC } }));
}

describe('vonage adapter: wire request', () => {
  it('sends Basic auth, the area code as a start-with pattern including the calling code, and the features enum', async () => {
    await vonage.search(query({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 7 }), ctx());
    const [req] = emu.requests('vonage');
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/number/search');
    expect(req.headers.authorization).toBe(redactAuthorization(BASIC));
    // No type for NANP local (which label US long codes carry is unverified), no secret in the URL.
    expect(req.rawQuery).toBe('country=US&pattern=1415&search_pattern=0&features=SMS%2CVOICE&size=7');
  });

  it.each([
    [{ countryCode: 'GB', phoneNumberType: 'local' as const, limit: 3 }, 'country=GB&type=landline&size=3'],
    [{ countryCode: 'GB', phoneNumberType: 'mobile' as const, areaCode: '7700', limit: 50 }, 'country=GB&type=mobile-lvn&pattern=447700&search_pattern=0&size=50'],
    [{ countryCode: 'US', phoneNumberType: 'toll_free' as const, features: ['voice' as const], limit: 5 }, 'country=US&type=landline-toll-free&features=VOICE&size=5'],
    [{ countryCode: 'DE', areaCode: '30', features: ['mms' as const, 'sms' as const, 'voice' as const], limit: 4 }, 'country=DE&type=landline&pattern=4930&search_pattern=0&features=SMS%2CMMS%2CVOICE&size=4'],
    [{ countryCode: 'AU', features: ['mms' as const, 'voice' as const], limit: 2 }, 'country=AU&type=landline&features=VOICE%2CMMS&size=2'],
  ])('builds the exact query for %j', async (partial, rawQuery) => {
    await vonage.search(query(partial), ctx());
    expect(emu.requests('vonage')[0].rawQuery).toBe(rawQuery);
  });

  it('maps every feature set to one of the seven enum values and caps size at 100', () => {
    expect(featuresValue([])).toBeUndefined();
    expect(featuresValue(['sms'])).toBe('SMS');
    expect(featuresValue(['mms'])).toBe('MMS');
    expect(featuresValue(['voice'])).toBe('VOICE');
    expect(featuresValue(['sms', 'voice'])).toBe('SMS,VOICE');
    expect(featuresValue(['mms', 'sms'])).toBe('SMS,MMS');
    expect(featuresValue(['mms', 'voice'])).toBe('VOICE,MMS');
    expect(featuresValue(['mms', 'sms', 'voice'])).toBe('SMS,MMS,VOICE');
    expect(vonageQuery(query({ limit: 150 }), '1', undefined).get('size')).toBe('100');
  });

  it('supports what Vonage can answer and verify: no fax, no national type, no NANP mobile', () => {
    expect(vonage.supports(query({ countryCode: 'US' }))).toBe(true);
    expect(vonage.supports(query({ countryCode: 'US', phoneNumberType: 'toll_free' }))).toBe(true);
    expect(vonage.supports(query({ countryCode: 'GB', phoneNumberType: 'mobile' }))).toBe(true);
    expect(vonage.supports(query({ countryCode: 'US', phoneNumberType: 'mobile' }))).toBe(false);
    expect(vonage.supports(query({ countryCode: 'CA', phoneNumberType: 'mobile' }))).toBe(false);
    expect(vonage.supports(query({ countryCode: 'GB', phoneNumberType: 'national' }))).toBe(false);
    expect(vonage.supports(query({ countryCode: 'US', features: ['fax'] }))).toBe(false);
    expect(vonage.supports(query({ countryCode: 'XX' }))).toBe(false);
  });
});

describe('vonage adapter: normalisation', () => {
  it.each(['mobile-lvn', 'landline'])('returns E.164 numbers with lower-case features when US long codes are typed %s', async (nanpLocalType) => {
    emu.setBehaviour('vonage', { options: { nanpLocalType } });
    const numbers = await vonage.search(query({ countryCode: 'US', areaCode: '415', limit: 6 }), ctx());
    expect(numbers).toHaveLength(6);
    const inventory = new Map(emu.inventory('vonage').map((n) => [n.e164, n]));
    const raw = await replay();
    expect(raw.numbers.every((n: { type: string }) => n.type === nanpLocalType)).toBe(true);
    for (const [i, n] of numbers.entries()) {
      expect(n.phoneNumber).toBe(`+${raw.numbers[i].msisdn}`);
      expect(n.phoneNumber).toMatch(/^\+1415\d{7}$/);
      const source = inventory.get(n.phoneNumber)!;
      expect([...n.features].sort()).toEqual(source.features.filter((f) => f !== 'fax').sort());
      // Vonage answers carry no geography.
      expect(n).not.toHaveProperty('locality');
      expect(n).not.toHaveProperty('administrativeArea');
    }
  });

  it('drops the toll-free numbers an untyped NANP local search also returns', async () => {
    const numbers = await vonage.search(query({ countryCode: 'US', limit: 50 }), ctx());
    const raw = await replay();
    const tollFree = raw.numbers.filter((n: { type: string }) => n.type === 'landline-toll-free');
    expect(tollFree.length).toBeGreaterThan(0);
    expect(numbers).toHaveLength(50 - tollFree.length);
    const tollFreeSet = new Set(tollFree.map((n: { msisdn: string }) => `+${n.msisdn}`));
    expect(numbers.some((n) => tollFreeSet.has(n.phoneNumber))).toBe(false);
  });

  it('keeps toll-free numbers when they were asked for, and answers mobile outside NANP', async () => {
    const tollFree = await vonage.search(query({ countryCode: 'US', phoneNumberType: 'toll_free', limit: 5 }), ctx());
    expect(tollFree).toHaveLength(5);
    const types = new Map(emu.inventory('vonage').map((n) => [n.e164, n.type]));
    expect(tollFree.every((n) => types.get(n.phoneNumber) === 'toll_free')).toBe(true);
    const mobile = await vonage.search(query({ countryCode: 'GB', phoneNumberType: 'mobile', limit: 5 }), ctx());
    expect(mobile).toHaveLength(5);
    expect(mobile.every((n) => types.get(n.phoneNumber) === 'mobile')).toBe(true);
  });

  it('gets only numbers having every requested feature (AND)', async () => {
    const numbers = await vonage.search(query({ countryCode: 'US', features: ['mms', 'sms'], limit: 10 }), ctx());
    expect(numbers).toHaveLength(10);
    for (const n of numbers) expect(n.features).toEqual(expect.arrayContaining(['sms', 'mms']));
  });

  it('skips malformed items and keeps the good ones', async () => {
    emu.setBehaviour('vonage', { options: { malformedItems: true } });
    const numbers = await vonage.search(query({ countryCode: 'GB', areaCode: '20', limit: 4 }), ctx());
    expect(numbers).toHaveLength(4);
    for (const n of numbers) expect(n.phoneNumber).toMatch(/^\+4420\d{8}$/);
    expect((await replay()).numbers).toHaveLength(8);
  });

  it.each([
    ['full', '{"count":0,"numbers":[]}'],
    ['count', '{"count":0}'],
    ['object', '{}'],
    ['body', ''],
  ])('treats the empty shape %s (%s) as no numbers', async (emptyShape, body) => {
    emu.setBehaviour('vonage', { options: { emptyShape } });
    // No French inventory.
    expect(await vonage.search(query({ countryCode: 'FR', phoneNumberType: 'toll_free' }), ctx())).toEqual([]);
    const req = emu.requests('vonage')[0];
    const res = await fetch(`${emu.url}/vonage${req.path}?${req.rawQuery}`, { headers: { authorization: BASIC } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(body);
  });

  it('tells an empty answer from a wrong one', () => {
    const ok = (body: string) => new ProviderResponse('vonage', 200, {}, body);
    const adapter = vonageProvider.create(
      { apiKey: KEY, apiSecret: SECRET, baseUrl: 'http://unused' },
      { http: { request: () => Promise.resolve(ok('{"count":3}')) } },
    );
    return expect(adapter.search(query(), ctx())).rejects.toMatchObject({ kind: 'bad_response' });
  });
});

describe('vonage adapter: errors', () => {
  it.each([
    [401, 'auth_failed', 'authentication failed'],
    [420, 'invalid_request', 'method failed'],
    [400, 'invalid_request', 'bad request'],
    [500, 'unavailable', 'internal error'],
    [503, 'unavailable', 'service unavailable'],
  ])('maps HTTP %i to %s with its string error-code', async (status, kind, label) => {
    emu.setBehaviour('vonage', { fault: { type: 'error', status } });
    const e = await failure(vonage.search(query(), ctx()));
    expect({ kind: e.kind, providerCode: e.providerCode, httpStatus: e.httpStatus, provider: e.provider, message: e.message }).toEqual({
      kind,
      providerCode: String(status),
      httpStatus: status,
      provider: 'vonage',
      message: label,
    });
  });

  it('maps a 420 answered to the search itself (methodFailed) to invalid_request', async () => {
    emu.setBehaviour('vonage', { options: { methodFailed: true } });
    expect(await failure(vonage.search(query(), ctx()))).toMatchObject({ kind: 'invalid_request', providerCode: '420', httpStatus: 420 });
  });

  it('maps 429 to rate_limited, with the wait when Retry-After is sent and without it otherwise', async () => {
    emu.setBehaviour('vonage', { fault: { type: 'rate_limit', retryAfterSeconds: 7 } });
    expect(await failure(vonage.search(query(), ctx()))).toMatchObject({ kind: 'rate_limited', providerCode: '429', httpStatus: 429, retryAfterSeconds: 7 });
    emu.setBehaviour('vonage', { fault: { type: 'rate_limit' } });
    const e = await failure(vonage.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'rate_limited', providerCode: '429' });
    expect(e.retryAfterSeconds).toBeUndefined();
  });

  it('maps by status when the error body is empty or numeric-coded', () => {
    expect(vonageError(new ProviderResponse('vonage', 503, {}, ''))).toMatchObject({ kind: 'unavailable', providerCode: undefined, message: 'answered HTTP 503' });
    expect(vonageError(new ProviderResponse('vonage', 401, {}, '{"error-code":401,"error-code-label":"authentication failed"}'))).toMatchObject({ kind: 'auth_failed', providerCode: '401' });
  });

  it('decides by the status first: a transient code on a refused request is not retried', () => {
    const res = (status: number, code: string) => new ProviderResponse('vonage', status, {}, JSON.stringify({ 'error-code': code, 'error-code-label': 'x' }));
    expect(vonageError(res(420, '429'))).toMatchObject({ kind: 'invalid_request', providerCode: '429', retryable: false });
    expect(vonageError(res(503, '420'))).toMatchObject({ kind: 'unavailable', providerCode: '420', retryable: true });
    expect(vonageError(res(403, '401'))).toMatchObject({ kind: 'auth_failed', retryable: false });
  });

  itMapsTransportFaults('vonage', () => ({ emu, provider: vonage }));

  it('rejects a wrong secret with Vonage\'s own 401 body, and never puts credentials in an error', async () => {
    const bad = createProviderFromEnv(vonageProvider, { ...emu.env(), VONAGE_API_SECRET: 'WrongSecret99' });
    const e = await failure(bad.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'auth_failed', providerCode: '401', message: 'authentication failed' });
    expect(JSON.stringify(e.toLog())).not.toContain('WrongSecret99');
    const faults = [
      { type: 'error', status: 401 }, { type: 'error', status: 500 }, { type: 'rate_limit' }, { type: 'garbage' },
      { type: 'html' }, { type: 'wrong_shape' }, { type: 'truncated' }, { type: 'reset' },
    ] as const;
    for (const fault of faults) {
      emu.setBehaviour('vonage', { fault });
      const log = JSON.stringify((await failure(vonage.search(query(), ctx()))).toLog());
      expect(log).not.toContain(SECRET);
      expect(log).not.toContain(BASIC.slice(6));
    }
  });
});

describe('vonage emulator: rejects what Vonage rejects', () => {
  it('answers 401 with its own body without credentials or with wrong ones, and accepts query-parameter auth', async () => {
    for (const res of [await search('country=US', {}), await search('country=US', { authorization: `Basic ${Buffer.from(`${KEY}:nope`).toString('base64')}` })]) {
      expect(res.status).toBe(401);
      expect(await jsonOf(res)).toEqual({ 'error-code': '401', 'error-code-label': 'authentication failed' });
    }
    const legacy = await search(`country=US&api_key=${KEY}&api_secret=${SECRET}&size=3`, {});
    expect(legacy.status).toBe(200);
    expect((await jsonOf(legacy)).numbers).toHaveLength(3);
    expect((await search(`country=US&api_key=${KEY}&api_secret=nope`, {})).status).toBe(401);
  });

  it.each([
    ['a missing country', 'size=3'],
    ['a malformed country', 'country=USA'],
    ['a lower-case country', 'country=us'],
    ['an unknown type', 'country=US&type=local'],
    ['lower-case features', 'country=US&features=sms'],
    ['an unknown feature', 'country=US&features=FAX'],
    ['a bad search_pattern', 'country=US&pattern=1415&search_pattern=3'],
    ['size above 100', 'country=US&size=101'],
    ['size 0', 'country=US&size=0'],
    ['index 0', 'country=US&index=0'],
  ])('answers 420 method failed for %s', async (_what, qs) => {
    const res = await search(qs);
    expect(res.status).toBe(420);
    expect(await jsonOf(res)).toEqual({ 'error-code': '420', 'error-code-label': 'method failed' });
  });

  it('accepts features in any order unless strict, and applies them as AND', async () => {
    const body = await jsonOf(await search('country=US&features=VOICE,SMS&size=5'));
    expect(body.numbers).toHaveLength(5);
    for (const n of body.numbers) expect(n.features).toEqual(expect.arrayContaining(['SMS', 'VOICE']));
    emu.setBehaviour('vonage', { options: { featureOrder: 'strict' } });
    expect((await search('country=US&features=VOICE,SMS')).status).toBe(420);
    expect((await search('country=US&features=SMS%2CVOICE')).status).toBe(200);
  });

  it('matches patterns against the digits including the country code: starts with, contains, ends with', async () => {
    const withCode = await jsonOf(await search('country=US&pattern=1415&search_pattern=0&size=20'));
    expect(withCode.numbers.length).toBe(20);
    expect(withCode.numbers.every((n: { msisdn: string }) => n.msisdn.startsWith('1415'))).toBe(true);
    // Without the calling code a start-with pattern finds nothing: US numbers start with 1.
    expect(await jsonOf(await search('country=US&pattern=415&search_pattern=0'))).toEqual({ count: 0, numbers: [] });
    const contains = await jsonOf(await search('country=US&pattern=415&search_pattern=1&size=100'));
    expect(contains.numbers.every((n: { msisdn: string }) => n.msisdn.includes('415'))).toBe(true);
    const ends = await jsonOf(await search('country=US&pattern=7&search_pattern=2&size=10'));
    expect(ends.numbers.every((n: { msisdn: string }) => n.msisdn.endsWith('7'))).toBe(true);
  });

  it('pages with a 1-based index, count being the pool total', async () => {
    const first = await jsonOf(await search('country=GB&type=landline&size=10'));
    const second = await jsonOf(await search('country=GB&type=landline&size=10&index=2'));
    const total = emu.inventory('vonage').filter((n) => n.country === 'GB' && n.type === 'local').length;
    expect(first.count).toBe(total);
    expect(second.count).toBe(total);
    expect(first.numbers).toHaveLength(10);
    const firstSet = new Set(first.numbers.map((n: { msisdn: string }) => n.msisdn));
    expect(second.numbers.some((n: { msisdn: string }) => firstSet.has(n.msisdn))).toBe(false);
  });

  it('renders msisdn without +, upper-case features without fax, string cost, and no geography', async () => {
    const body = await jsonOf(await search('country=US&size=30'));
    for (const n of body.numbers) {
      expect(n.msisdn).toMatch(/^1\d{10}$/);
      expect(typeof n.cost).toBe('string');
      expect(n.features.every((f: string) => ['SMS', 'VOICE', 'MMS'].includes(f))).toBe(true);
      expect(Object.keys(n).every((k) => ['country', 'msisdn', 'type', 'cost', 'initialPrice', 'features', 'limitations'].includes(k))).toBe(true);
    }
  });

  it('answers 404 for another path', async () => {
    const res = await fetch(`${emu.url}/vonage/number/searchx?country=US`, { headers: { authorization: BASIC } });
    expect(res.status).toBe(404);
    expect((await jsonOf(res))['error-code']).toBe('404');
  });
});
