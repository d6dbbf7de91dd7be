import { EmulatorServer } from '../../emulators/core/server';
import { twilioEmulator } from '../../emulators/twilio/twilio.emulator';
import { ProviderError } from '../../src/providers/provider-error';
import type { NumberProvider } from '../../src/providers/provider.interface';
import { twilioProvider } from '../../src/providers/twilio/twilio.provider';
import { createProviderFromEnv, ctx, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let twilio: NumberProvider;
const { user: SID, password: TOKEN } = twilioEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const jsonOf = (res: Response): Promise<any> => res.json();

beforeAll(async () => {
  emu = new EmulatorServer([twilioEmulator]);
  await emu.listen();
  twilio = createProviderFromEnv(twilioProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe('twilio adapter: wire request', () => {
  it('chooses the type by path, filters with PascalCase parameters set to true, and authenticates with Basic', async () => {
    await twilio.search(query({ countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 12 }), ctx());
    const [req] = emu.requests('twilio');
    expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/AvailablePhoneNumbers/US/Local.json`);
    expect(req.headers.authorization).toBe(BASIC);
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
      expect(n).toMatchObject({ locality: 'New York', administrativeArea: 'NY' });
      expect([...n.features].sort()).toEqual([...source.features].sort());
    }
    expect(numbers.some((n) => n.features.includes('sms'))).toBe(true);
  });

  it('returns no numbers for a type the country does not offer (404 with 20404)', async () => {
    expect(await twilio.search(query({ countryCode: 'US', phoneNumberType: 'mobile' }), ctx())).toEqual([]);
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

  it('maps 429 with Retry-After to rate_limited', async () => {
    emu.setBehaviour('twilio', { fault: { type: 'rate_limit', retryAfterSeconds: 3 } });
    expect(await failure(twilio.search(query(), ctx()))).toMatchObject({ kind: 'rate_limited', providerCode: '20429', retryAfterSeconds: 3 });
  });

  it('rejects a wrong token with Twilio\'s own 401', async () => {
    const bad = createProviderFromEnv(twilioProvider, { ...emu.env(), TWILIO_AUTH_TOKEN: 'wrong' });
    expect(await failure(bad.search(query(), ctx()))).toMatchObject({ kind: 'auth_failed', providerCode: '20003', httpStatus: 401 });
  });

  it.each(['garbage', 'html', 'wrong_shape', 'truncated'] as const)('maps a %s answer to bad_response', async (type) => {
    emu.setBehaviour('twilio', { fault: { type } });
    expect((await failure(twilio.search(query(), ctx()))).kind).toBe('bad_response');
  });

  it('times out on a hang and closes the connection', async () => {
    emu.setBehaviour('twilio', { fault: { type: 'hang' } });
    expect((await failure(twilio.search(query(), ctx(AbortSignal.timeout(150))))).kind).toBe('timeout');
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.openRequests('twilio')).toBe(0);
  });
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

  it('ignores unknown parameters and treats SmsEnabled=false as no filter', async () => {
    const res = await fetch(`${base()}/US/Local.json?Foo=1&SmsEnabled=false&PageSize=30`, { headers: { authorization: BASIC } });
    const body = await jsonOf(res);
    expect(res.status).toBe(200);
    expect(body.available_phone_numbers.some((n: { capabilities: { SMS: boolean } }) => n.capabilities.SMS)).toBe(true);
    expect(Object.keys(body).sort()).toEqual(['available_phone_numbers', 'uri']);
  });
});
