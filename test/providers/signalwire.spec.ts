import { EmulatorServer } from '../../emulators/core/server';
import { signalwireEmulator } from '../../emulators/signalwire/signalwire.emulator';
import { ProviderError } from '../../src/providers/provider-error';
import type { NumberProvider } from '../../src/providers/provider.interface';
import { signalwireProvider } from '../../src/providers/signalwire/signalwire.provider';
import { createProviderFromEnv, ctx, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let signalwire: NumberProvider;
const { user: PROJECT, password: TOKEN } = signalwireEmulator.defaultCredentials;

beforeAll(async () => {
  emu = new EmulatorServer([signalwireEmulator]);
  await emu.listen();
  signalwire = createProviderFromEnv(signalwireProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe('signalwire adapter', () => {
  it('calls the compatibility path without capability filters, asking for more when it must filter', async () => {
    await signalwire.search(query({ countryCode: 'US', areaCode: '206', features: ['sms'], limit: 10 }), ctx());
    const [req] = emu.requests('signalwire');
    expect(req.path).toBe(`/api/laml/2010-04-01/Accounts/${PROJECT}/AvailablePhoneNumbers/US/Local`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}`);
    expect(req.rawQuery).toBe('AreaCode=206&PageSize=20');
    await signalwire.search(query({ countryCode: 'CA', phoneNumberType: 'toll_free', limit: 5 }), ctx());
    expect(emu.requests('signalwire')[1].path).toMatch(/\/AvailablePhoneNumbers\/CA\/TollFree$/);
    expect(emu.requests('signalwire')[1].rawQuery).toBe('PageSize=5');
  });

  it('returns the capabilities as sent (the engine filters, since SignalWire ignores the flags)', async () => {
    const numbers = await signalwire.search(query({ countryCode: 'US', areaCode: '206', features: ['mms'], limit: 25 }), ctx());
    const held = emu.inventory('signalwire').filter((n) => n.country === 'US' && n.type === 'local' && n.areaCode === '206').length;
    expect(numbers.length).toBe(Math.min(50, held));
    expect(numbers.some((n) => !n.features.includes('mms'))).toBe(true);
    for (const n of numbers) {
      expect(n.locality).toBeUndefined();
      expect(n.administrativeArea).toBe('WA');
    }
  });

  it('searches only US and Canada, local and toll-free', () => {
    expect(signalwire.supports(query({ countryCode: 'US' }))).toBe(true);
    expect(signalwire.supports(query({ countryCode: 'CA', phoneNumberType: 'toll_free' }))).toBe(true);
    expect(signalwire.supports(query({ countryCode: 'US', phoneNumberType: 'mobile' }))).toBe(false);
    expect(signalwire.supports(query({ countryCode: 'GB' }))).toBe(false);
  });

  it('maps string error codes like integer ones', async () => {
    emu.setBehaviour('signalwire', { fault: { type: 'error', status: 401 } });
    expect(await failure(signalwire.search(query(), ctx()))).toMatchObject({ kind: 'auth_failed', providerCode: '20003', httpStatus: 401 });
    emu.setBehaviour('signalwire', { fault: { type: 'error', status: 500 } });
    expect(await failure(signalwire.search(query(), ctx()))).toMatchObject({ kind: 'unavailable', providerCode: '20500' });
    emu.setBehaviour('signalwire', { fault: { type: 'rate_limit', retryAfterSeconds: 2 } });
    expect(await failure(signalwire.search(query(), ctx()))).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 2 });
  });

  it('is rejected with a wrong token', async () => {
    const bad = createProviderFromEnv(signalwireProvider, { ...emu.env(), SIGNALWIRE_API_TOKEN: 'wrong' });
    expect(await failure(bad.search(query(), ctx()))).toMatchObject({ kind: 'auth_failed', providerCode: '20003' });
  });
});

describe('signalwire emulator', () => {
  it('has no Mobile resource and ignores capability filters', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}` };
    const base = `${emu.url}/signalwire/api/laml/2010-04-01/Accounts/${PROJECT}/AvailablePhoneNumbers/US`;
    expect((await fetch(`${base}/Mobile`, { headers: auth })).status).toBe(404);
    const all = await (await fetch(`${base}/Local?PageSize=40`, { headers: auth })).json() as { available_phone_numbers: unknown[] };
    const filtered = await (await fetch(`${base}/Local?PageSize=40&MmsEnabled=true`, { headers: auth })).json() as { available_phone_numbers: unknown[] };
    expect(filtered).toEqual(all);
    expect((await fetch(`${base}/Local`)).status).toBe(401);
  });
});
