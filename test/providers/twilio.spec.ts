import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { twilioEmulator } from '../../emulators/twilio/twilio.emulator';
import { ProviderError } from '../../src/domain/provider-error';
import type { NumberProvider } from '../../src/domain/number-provider';
import { twilioProvider } from '../../src/providers/twilio/twilio.provider';
import { createProviderFromEnv, ctx, query, failure, jsonOf } from '../support/provider-under-test';
import { itMapsTransportFaults } from '../support/transport-faults';

let emu: EmulatorServer;
let twilio: NumberProvider;
const { user: SID, password: TOKEN } = twilioEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;

beforeAll(async () => {
  emu = new EmulatorServer([twilioEmulator]);
  await emu.listen();
  twilio = createProviderFromEnv(twilioProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe('twilio adapter: wire request', () => {
  it('chooses the type by path, filters with PascalCase parameters set to true, and authenticates with Basic', async () => {
    await twilio.search(query({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 12 }), ctx());
    const [req] = emu.requests('twilio');
    expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/AvailablePhoneNumbers/US/Local.json`);
    expect(req.headers.authorization).toBe(redactAuthorization(BASIC));
    expect(req.rawQuery).toBe('AreaCode=415&SmsEnabled=true&VoiceEnabled=true&PageSize=12');
  });

  it('maps every type to its sub-resource and caps PageSize at 30', async () => {
    const paths: Record<string, string> = { local: 'Local', toll_free: 'TollFree', mobile: 'Mobile', national: 'National' };
    for (const [type, path] of Object.entries(paths)) {
      await twilio.search(query({ countryCode: 'GB', phoneNumberType: type as never, features: ['mms', 'fax'], limit: 50 }), ctx());
      const req = emu.requests('twilio').at(-1)!;
      expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/AvailablePhoneNumbers/GB/${path}.json`);
      expect(req.rawQuery).toBe('MmsEnabled=true&FaxEnabled=true&PageSize=30');
    }
  });

  it('does not send AreaCode outside the US and Canada (Twilio applies it nowhere else)', async () => {
    await twilio.search(query({ countryCode: 'GB', areaCode: '20' }), ctx());
    expect(emu.requests('twilio')[0].rawQuery).toBe('PageSize=10');
  });
});

describe('twilio adapter: normalisation', () => {
  it('reads the mixed-case capability keys and the locality fields', async () => {
    const numbers = await twilio.search(query({ countryCode: 'US', areaCode: '212', limit: 20 }), ctx());
    expect(numbers.length).toBe(20);
    const inventory = new Map(emu.inventory('twilio').map((n) => [n.e164, n]));
    for (const n of numbers) {
      const source = inventory.get(n.phoneNumber)!;
      expect(n).toMatchObject({ locality: 'New York', administrativeArea: 'NY', rateCenter: 'NWYRCYZN01' });
      expect([...n.features].sort()).toEqual([...source.features].sort());
    }
    expect(numbers.some((n) => n.features.includes('sms'))).toBe(true);
  });

  it('returns no numbers for a type the country does not offer (404 with 20404)', async () => {
    expect(await twilio.search(query({ countryCode: 'US', phoneNumberType: 'mobile' }), ctx())).toEqual([]);
    expect(emu.requests('twilio')[0].status).toBe(404);
  });

  it('skips malformed items and keeps the good ones', async () => {
    emu.setBehaviour('twilio', { options: { malformedItems: true } });
    const numbers = await twilio.search(query({ countryCode: 'US', areaCode: '312', limit: 5 }), ctx());
    expect(numbers).toHaveLength(5);
    for (const n of numbers) expect(n.phoneNumber).toMatch(/^\+1312\d{7}$/);
  });

  it('reads toll-free answers whose geography is null, and an empty answer', async () => {
    const numbers = await twilio.search(query({ countryCode: 'US', phoneNumberType: 'toll_free', limit: 3 }), ctx());
    expect(numbers).toHaveLength(3);
    for (const n of numbers) expect(n).toEqual({ phoneNumber: expect.stringMatching(/^\+18\d{9}$/), features: expect.any(Array) });
    // No stock for this area code: `{"available_phone_numbers": [], "uri": ...}`.
    expect(await twilio.search(query({ countryCode: 'US', areaCode: '999' }), ctx())).toEqual([]);
    expect(emu.requests('twilio')[1].status).toBe(200);
  });

  it('returns no numbers for a country Twilio does not serve (404 with 20404)', async () => {
    expect(await twilio.search(query({ countryCode: 'FR' }), ctx())).toEqual([]);
    expect(emu.requests('twilio')[0].status).toBe(404);
  });

  it('returns at most 30 numbers', async () => {
    expect((await twilio.search(query({ countryCode: 'US', limit: 50 }), ctx())).length).toBe(30);
  });
});

describe('twilio adapter: errors', () => {
  it.each([
    [401, 'auth_failed', '20003'],
    [403, 'auth_failed', '20008'],
    [400, 'invalid_request', '21451'],
    [500, 'unavailable', '20500'],
    [503, 'unavailable', '20503'],
  ])('maps HTTP %i to %s with code %s', async (status, kind, code) => {
    emu.setBehaviour('twilio', { fault: { type: 'error', status } });
    const e = await failure(twilio.search(query(), ctx()));
    expect({ kind: e.kind, providerCode: e.providerCode, httpStatus: e.httpStatus }).toEqual({ kind, providerCode: code, httpStatus: status });
    expect(e.message).not.toContain(TOKEN);
  });

  it.each([
    [401, 20005, 'Account not active'],
    [401, 10001, 'Account is not active'],
    [403, 20005, 'Account not active'],
  ])('maps HTTP %i with code %i to account_suspended', async (status, code, message) => {
    emu.setBehaviour('twilio', { options: { accountError: { status, code, message } } });
    expect(await failure(twilio.search(query(), ctx()))).toMatchObject({ kind: 'account_suspended', providerCode: String(code), httpStatus: status, message });
  });

  it.each([
    [400, 20503, 'invalid_request'],
    [404, 20500, 'invalid_request'],
    [403, 20429, 'auth_failed'],
    [503, 21451, 'unavailable'],
    [500, 20005, 'unavailable'],
  ])('decides by the status first: HTTP %i with code %i is %s', async (status, code, kind) => {
    emu.setBehaviour('twilio', { options: { accountError: { status, code, message: 'scripted' } } });
    const e = await failure(twilio.search(query(), ctx()));
    expect(e).toMatchObject({ kind, providerCode: String(code), httpStatus: status });
    expect(e.retryable).toBe(status >= 500);
  });

  it('maps 429 with Retry-After to rate_limited', async () => {
    emu.setBehaviour('twilio', { fault: { type: 'rate_limit', retryAfterSeconds: 3 } });
    expect(await failure(twilio.search(query(), ctx()))).toMatchObject({ kind: 'rate_limited', providerCode: '20429', retryAfterSeconds: 3 });
  });

  it('rejects a wrong token with Twilio\'s own 401', async () => {
    const bad = createProviderFromEnv(twilioProvider, { ...emu.env(), TWILIO_AUTH_TOKEN: 'wrong' });
    expect(await failure(bad.search(query(), ctx()))).toMatchObject({ kind: 'auth_failed', providerCode: '20003', httpStatus: 401 });
  });

  itMapsTransportFaults('twilio', () => ({ emu, provider: twilio }), { secrets: () => [TOKEN, BASIC.slice(6)] });
});

describe('twilio emulator: rejects what Twilio rejects', () => {
  const base = () => `${emu.url}/twilio/2010-04-01/Accounts/${SID}/AvailablePhoneNumbers`;
  it('401 20003 without credentials or with another account\'s SID', async () => {
    const none = await fetch(`${base()}/US/Local.json`);
    expect(none.status).toBe(401);
    expect(await jsonOf(none)).toMatchObject({ code: 20003, status: 401 });
    const other = Buffer.from(`AC${'1'.repeat(32)}:${TOKEN}`).toString('base64');
    expect((await fetch(`${base()}/US/Local.json`, { headers: { authorization: `Basic ${other}` } })).status).toBe(401);
  });

  it('400 for a malformed AreaCode, a non-boolean flag and PageSize out of range', async () => {
    for (const q of ['AreaCode=abc', 'SmsEnabled=yes', 'PageSize=0', 'PageSize=1001']) {
      const res = await fetch(`${base()}/US/Local.json?${q}`, { headers: { authorization: BASIC } });
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
  });

  it('404 20404 for a malformed AccountSid, even with matching credentials', async () => {
    const odd = new EmulatorServer([twilioEmulator], { credentials: { twilio: { user: 'XX123', password: TOKEN } } });
    await odd.listen();
    try {
      const res = await fetch(`${odd.url}/twilio/2010-04-01/Accounts/XX123/AvailablePhoneNumbers/US/Local.json`, {
        headers: { authorization: `Basic ${Buffer.from(`XX123:${TOKEN}`).toString('base64')}` },
      });
      expect(res.status).toBe(404);
      expect(await jsonOf(res)).toMatchObject({ code: 20404, status: 404 });
    } finally {
      await odd.close();
    }
  });

  it('404 20404 quoting the path for a type the country does not offer', async () => {
    const res = await fetch(`${base()}/US/Mobile.json`, { headers: { authorization: BASIC } });
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toEqual({
      code: 20404,
      message: `The requested resource /2010-04-01/Accounts/${SID}/AvailablePhoneNumbers/US/Mobile.json was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
  });

  it('honours PageSize up to 30 and filters on capabilities set to true', async () => {
    const five = await jsonOf(await fetch(`${base()}/US/Local.json?PageSize=5`, { headers: { authorization: BASIC } }));
    expect(five.available_phone_numbers).toHaveLength(5);
    const many = await jsonOf(await fetch(`${base()}/US/Local.json?PageSize=1000&MmsEnabled=true`, { headers: { authorization: BASIC } }));
    expect(many.available_phone_numbers).toHaveLength(30);
    for (const n of many.available_phone_numbers) expect(n.capabilities).toMatchObject({ MMS: true });
    expect(Object.keys(many.available_phone_numbers[0].capabilities).sort()).toEqual(['MMS', 'SMS', 'fax', 'voice']);
  });

  it('ignores unknown parameters and treats SmsEnabled=false as no filter', async () => {
    const res = await fetch(`${base()}/US/Local.json?Foo=1&SmsEnabled=false&PageSize=30`, { headers: { authorization: BASIC } });
    const body = await jsonOf(res);
    expect(res.status).toBe(200);
    expect(body.available_phone_numbers.some((n: { capabilities: { SMS: boolean } }) => n.capabilities.SMS)).toBe(true);
    expect(Object.keys(body).sort()).toEqual(['available_phone_numbers', 'uri']);
  });
});
