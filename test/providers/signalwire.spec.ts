import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { signalwireEmulator } from '../../emulators/signalwire/signalwire.emulator';
import { ProviderError } from '../../src/domain/provider-error';
import type { NumberProvider } from '../../src/domain/number-provider';
import { signalwireProvider } from '../../src/providers/signalwire/signalwire.provider';
import { createProviderFromEnv, ctx, query, failure } from '../support/provider-under-test';
import { itMapsTransportFaults } from '../support/transport-faults';

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

describe('signalwire adapter', () => {
  it('calls the compatibility path without capability filters, asking for more when it must filter', async () => {
    await signalwire.search(query({ countryCode: 'US', areaCode: '206', features: ['sms'], limit: 10 }), ctx());
    const [req] = emu.requests('signalwire');
    expect(req.path).toBe(`/api/laml/2010-04-01/Accounts/${PROJECT}/AvailablePhoneNumbers/US/Local`);
    expect(req.headers.authorization).toBe(redactAuthorization(`Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}`));
    expect(req.rawQuery).toBe('AreaCode=206&PageSize=20');
    await signalwire.search(query({ countryCode: 'CA', phoneNumberType: 'toll_free', limit: 5 }), ctx());
    expect(emu.requests('signalwire')[1].path).toMatch(/\/AvailablePhoneNumbers\/CA\/TollFree$/);
    expect(emu.requests('signalwire')[1].rawQuery).toBe('PageSize=5');
  });

  it('filters on the returned capabilities itself, since SignalWire ignores the flags', async () => {
    const numbers = await signalwire.search(query({ countryCode: 'US', areaCode: '206', features: ['mms'], limit: 10 }), ctx());
    const [req] = emu.requests('signalwire');
    // The carrier's own answer to that request holds numbers without MMS, which the adapter dropped.
    const answer = (await (await fetch(`${emu.url}/signalwire${req.path}?${req.rawQuery}`, { headers: { authorization: `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}` } })).json()) as {
      available_phone_numbers: { phone_number: string; capabilities: Record<string, boolean> }[];
    };
    const withMms = answer.available_phone_numbers.filter((n) => n.capabilities.MMS).map((n) => n.phone_number);
    expect(withMms.length).toBeLessThan(answer.available_phone_numbers.length);
    expect(numbers.map((n) => n.phoneNumber)).toEqual(withMms.slice(0, 10));
    for (const n of numbers) {
      expect(n.features).toContain('mms');
      expect(n.locality).toBeUndefined();
      expect(n.administrativeArea).toBe('WA');
    }
  });

  it('returns at most the limit asked for, and the features as sent (fax included) without a filter', async () => {
    const numbers = await signalwire.search(query({ countryCode: 'US', areaCode: '206', limit: 7 }), ctx());
    expect(numbers).toHaveLength(7);
    const inventory = new Map(emu.inventory('signalwire').map((n) => [n.e164, n]));
    for (const n of numbers) expect([...n.features].sort()).toEqual([...inventory.get(n.phoneNumber)!.features].sort());
  });

  it('searches mobile numbers through the Mobile resource', async () => {
    const numbers = await signalwire.search(query({ countryCode: 'GB', phoneNumberType: 'mobile', limit: 10 }), ctx());
    const [req] = emu.requests('signalwire');
    expect(req.path).toBe(`/api/laml/2010-04-01/Accounts/${PROJECT}/AvailablePhoneNumbers/GB/Mobile`);
    // AreaCode exists for US and Canadian numbers only: nothing but the page size is sent.
    expect(req.rawQuery).toBe('PageSize=10');
    expect(numbers).toHaveLength(10);
    const held = new Set(emu.inventory('signalwire').filter((n) => n.country === 'GB' && n.type === 'mobile').map((n) => n.e164));
    for (const n of numbers) expect(held.has(n.phoneNumber)).toBe(true);
  });

  it('reads a US mobile search without stock (404/20404) as no numbers', async () => {
    expect(await signalwire.search(query({ countryCode: 'US', phoneNumberType: 'mobile' }), ctx())).toEqual([]);
    expect(emu.requests('signalwire')[0]).toMatchObject({ status: 404 });
  });

  it('finds fax numbers by the returned fax capability, and none when SignalWire does not report fax', async () => {
    const numbers = await signalwire.search(query({ countryCode: 'US', features: ['fax'], limit: 5 }), ctx());
    expect(numbers.length).toBeGreaterThan(0);
    const inventory = new Map(emu.inventory('signalwire').map((n) => [n.e164, n]));
    for (const n of numbers) {
      expect(n.features).toContain('fax');
      expect(inventory.get(n.phoneNumber)!.features).toContain('fax');
    }
    // FaxEnabled is "not supported": never sent, the answer is filtered instead.
    expect(emu.requests('signalwire')[0].rawQuery).toBe('PageSize=10');
    // Without a fax key in capabilities (the 2026 spec's schema), a fax search returns nothing unverified.
    emu.setBehaviour('signalwire', { options: { faxCapability: false } });
    expect(await signalwire.search(query({ countryCode: 'US', features: ['fax'], limit: 5 }), ctx())).toEqual([]);
    const plain = await signalwire.search(query({ countryCode: 'US', areaCode: '206', limit: 5 }), ctx());
    expect(plain).toHaveLength(5);
    for (const n of plain) expect(n.features).not.toContain('fax');
  });

  it('skips malformed items', async () => {
    emu.setBehaviour('signalwire', { options: { malformedItems: true } });
    const numbers = await signalwire.search(query({ countryCode: 'US', areaCode: '206', limit: 5 }), ctx());
    expect(numbers).toHaveLength(5);
    for (const n of numbers) expect(n.phoneNumber).toMatch(/^\+1206\d{7}$/);
  });

  it('searches local, toll-free and mobile numbers of any country, with every feature, but no national ones', () => {
    expect(signalwire.supports(query({ countryCode: 'US' }))).toBe(true);
    expect(signalwire.supports(query({ countryCode: 'CA', phoneNumberType: 'toll_free' }))).toBe(true);
    expect(signalwire.supports(query({ countryCode: 'US', phoneNumberType: 'mobile' }))).toBe(true);
    expect(signalwire.supports(query({ countryCode: 'GB', phoneNumberType: 'mobile', features: ['sms', 'mms', 'voice', 'fax'] }))).toBe(true);
    expect(signalwire.supports(query({ countryCode: 'US', features: ['fax'] }))).toBe(true);
    expect(signalwire.supports(query({ countryCode: 'US', phoneNumberType: 'national' }))).toBe(false);
    expect(signalwire.supports(query({ countryCode: 'XK' }))).toBe(true);
  });

  it('maps string error codes like integer ones', async () => {
    emu.setBehaviour('signalwire', { fault: { type: 'error', status: 401 } });
    expect(await failure(signalwire.search(query(), ctx()))).toMatchObject({ kind: 'auth_failed', providerCode: '20003', httpStatus: 401 });
    emu.setBehaviour('signalwire', { fault: { type: 'error', status: 500 } });
    expect(await failure(signalwire.search(query(), ctx()))).toMatchObject({ kind: 'unavailable', providerCode: '20500' });
    emu.setBehaviour('signalwire', { fault: { type: 'rate_limit', retryAfterSeconds: 2 } });
    expect(await failure(signalwire.search(query(), ctx()))).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 2 });
  });

  it('maps integer codes too, and garbage to bad_response', async () => {
    const accountError = { status: 422, code: 21217, message: 'Phone number does not appear to be valid' };
    for (const integerCodes of [false, true]) {
      emu.setBehaviour('signalwire', { options: { accountError, integerCodes } });
      expect(await failure(signalwire.search(query(), ctx()))).toMatchObject({ kind: 'invalid_request', providerCode: '21217', httpStatus: 422 });
    }
    // The emulator really sends both spellings (integerCodes is still true here).
    const url = `${emu.url}/signalwire/api/laml/2010-04-01/Accounts/${PROJECT}/AvailablePhoneNumbers/US/Local`;
    expect(((await (await fetch(url)).json()) as { code: unknown }).code).toBe(20003);
    emu.setBehaviour('signalwire', { options: { integerCodes: false } });
    expect(((await (await fetch(url)).json()) as { code: unknown }).code).toBe('20003');
    emu.setBehaviour('signalwire', { options: {}, fault: { type: 'garbage' } });
    expect((await failure(signalwire.search(query(), ctx()))).kind).toBe('bad_response');
    emu.setBehaviour('signalwire', { fault: { type: 'hang' } });
    expect((await failure(signalwire.search(query(), ctx(AbortSignal.timeout(150))))).kind).toBe('timeout');
  });

  it('returns no numbers for an area without stock', async () => {
    expect(await signalwire.search(query({ countryCode: 'US', areaCode: '999', features: ['sms'] }), ctx())).toEqual([]);
    expect(emu.requests('signalwire')[0].status).toBe(200);
  });

  itMapsTransportFaults('signalwire', () => ({ emu, provider: signalwire }), {
    secrets: () => [TOKEN, Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')],
  });

  it('is rejected with a wrong token', async () => {
    const bad = createProviderFromEnv(signalwireProvider, { ...emu.env(), SIGNALWIRE_API_TOKEN: 'wrong' });
    const e = await failure(bad.search(query(), ctx()));
    expect(e).toMatchObject({ kind: 'auth_failed', providerCode: '20003', httpStatus: 401 });
    expect(JSON.stringify(e.toLog())).not.toContain('wrong');
  });
});

describe('signalwire emulator', () => {
  it('serves Local, TollFree and Mobile but no National resource, and ignores capability filters', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}` };
    const base = `${emu.url}/signalwire/api/laml/2010-04-01/Accounts/${PROJECT}/AvailablePhoneNumbers/US`;
    expect((await fetch(`${base}/National`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base.replace(/US$/, 'DE')}/Mobile`, { headers: auth })).status).toBe(200);
    // No US mobile stock: 404 with the string code.
    const noStock = await fetch(`${base}/Mobile`, { headers: auth });
    expect([noStock.status, ((await noStock.json()) as { code: unknown }).code]).toEqual([404, '20404']);
    const all = await (await fetch(`${base}/Local?PageSize=40`, { headers: auth })).json() as { available_phone_numbers: unknown[] };
    const filtered = await (await fetch(`${base}/Local?PageSize=40&MmsEnabled=true`, { headers: auth })).json() as { available_phone_numbers: unknown[] };
    expect(filtered).toEqual(all);
    expect((await fetch(`${base}/Local`)).status).toBe(401);
    const unauthorised = (await (await fetch(`${base}/Local`)).json()) as Record<string, unknown>;
    // The compatibility API's documented 401 body, the same for a failed check and a scripted 401.
    expect(unauthorised).toEqual({ code: '20003', message: 'Authentication failed', more_info: expect.any(String), status: 401 });
    expect(JSON.parse(signalwireEmulator.errorResponse(401).body)).toEqual(unauthorised);
  });

  it('rejects a malformed AreaCode and another project\'s path, and answers an area without stock with an empty list', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}` };
    const base = `${emu.url}/signalwire/api/laml/2010-04-01/Accounts`;
    const bad = await fetch(`${base}/${PROJECT}/AvailablePhoneNumbers/US/Local?AreaCode=abc`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: '21451', status: 400 });
    const other = '00000000-0000-4000-8000-000000000000';
    expect((await fetch(`${base}/${other}/AvailablePhoneNumbers/US/Local`, { headers: auth })).status).toBe(401);
    const empty = await fetch(`${base}/${PROJECT}/AvailablePhoneNumbers/US/Local?AreaCode=999`, { headers: auth });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ uri: `/api/laml/2010-04-01/Accounts/${PROJECT}/AvailablePhoneNumbers/US/Local`, available_phone_numbers: [] });
  });

  it('answers items with null locality and voice/SMS/MMS/fax capabilities (fax dropped on request)', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}` };
    const url = `${emu.url}/signalwire/api/laml/2010-04-01/Accounts/${PROJECT}/AvailablePhoneNumbers/US/Local?PageSize=3`;
    for (const [faxCapability, keys] of [
      [undefined, ['MMS', 'SMS', 'fax', 'voice']],
      [false, ['MMS', 'SMS', 'voice']],
    ] as const) {
      emu.setBehaviour('signalwire', { options: { faxCapability } });
      const body = (await (await fetch(url, { headers: auth })).json()) as { available_phone_numbers: Record<string, unknown>[] };
      expect(body.available_phone_numbers).toHaveLength(3);
      for (const n of body.available_phone_numbers) {
        expect(n).toMatchObject({ locality: null, lata: null, latitude: null, longitude: null, postal_code: null, beta: false });
        expect(Object.keys(n.capabilities as object).sort()).toEqual(keys);
      }
    }
  });
});
