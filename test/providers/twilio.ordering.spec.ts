import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { twilioEmulator } from '../../emulators/twilio/twilio.emulator';
import type { NumberOrdering } from '../../src/domain/number-ordering';
import type { NumberProvider } from '../../src/domain/number-provider';
import { twilioProvider } from '../../src/providers/twilio/twilio.provider';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { itBuysExactlyOnce } from '../support/ordering-behaviours';
import { callCtx, createOrderingFromEnv, placed, purchaseCtx } from '../support/ordering-under-test';
import { createProviderFromEnv, ctx, jsonOf, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let ordering: NumberOrdering;
let search: NumberProvider;
const { user: SID, password: TOKEN } = twilioEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;
const LIST = `/2010-04-01/Accounts/${SID}/IncomingPhoneNumbers.json`;
const QUERY = { countryCode: 'US', areaCode: '415', limit: 5 };

/** Twilio's own examples break its schema: list URIs are relative (as in the search spec, telnyx-twilio.md §2.5 quirk 6). */
const RELATIVE_URI = 'list uris are relative paths';
const spec = new OpenApiValidator('twilio-incoming-phone-numbers.openapi.json', [
  { name: RELATIVE_URI, instancePath: /^\/(uri|first_page_uri)$/, keyword: 'format' },
]);

beforeAll(async () => {
  emu = new EmulatorServer([twilioEmulator]);
  await emu.listen();
  ordering = createOrderingFromEnv(twilioProvider, emu.env());
  search = createProviderFromEnv(twilioProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const firstSearched = async () => (await search.search(query(QUERY), ctx()))[0].phoneNumber;
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${emu.url}/twilio${path}`, { ...init, headers: { authorization: BASIC, ...(init.headers as Record<string, string>) } });
const form = (body: string) => ({ method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

itBuysExactlyOnce({ carrier: 'twilio', definition: twilioProvider, query: QUERY, secrets: [TOKEN, BASIC.slice(6)] }, () => ({ emu, ordering, search }));

describe('twilio ordering: wire requests, checked against the official IncomingPhoneNumbers operations', () => {
  it('buys with a form POST of PhoneNumber and reads the 201 record', async () => {
    const number = await firstSearched();
    const bought = await ordering.purchase(number, purchaseCtx());
    expect(bought).toEqual({ state: 'completed', providerOrderId: expect.stringMatching(/^PN[0-9a-f]{32}$/) });
    const [req] = emu.requests('twilio').filter((r) => r.operation === 'purchase');
    expect(req).toMatchObject({ method: 'POST', path: LIST, rawQuery: '', body: `PhoneNumber=${encodeURIComponent(number)}` });
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBe(redactAuthorization(BASIC));
    // A purchase goes out on a connection of its own, closed after the answer.
    expect(req.headers.connection).toBe('close');
    expect(req.status).toBe(201);
    expect(spec.validateRequest(req)).toEqual([]);
  });

  it('looks numbers up with ?PhoneNumber= and releases them with DELETE on the sid, as the spec declares', async () => {
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    expect(await ordering.reconcile(placed(number, c), callCtx())).toEqual(bought);
    expect(await ordering.release(placed(number, c, bought), callCtx())).toEqual({ state: 'released' });
    const calls = emu.requests('twilio').filter((r) => r.operation !== 'search');
    expect(calls.map((r) => [r.method, r.operation, r.status])).toEqual([
      ['POST', 'purchase', 201],
      ['GET', 'lookup', 200],
      ['DELETE', 'release', 204],
    ]);
    expect(calls[1].rawQuery).toBe(`PhoneNumber=${encodeURIComponent(number)}`);
    expect(calls[2].path).toBe(`/2010-04-01/Accounts/${SID}/IncomingPhoneNumbers/${bought.state === 'completed' ? bought.providerOrderId : ''}.json`);
    for (const r of calls) expect({ path: r.path, errors: spec.validateRequest(r) }).toEqual({ path: r.path, errors: [] });
  });

  it('gets from the emulator answers that match the spec (the 201 record, the list, the fetched record)', async () => {
    const number = await firstSearched();
    const created = await api(LIST, form(`PhoneNumber=${encodeURIComponent(number)}`));
    expect(created.status).toBe(201);
    const record = await jsonOf(created);
    expect(spec.checkResponse(LIST, 201, record, 'POST')).toEqual({ errors: [], tolerated: [] });
    const list = await jsonOf(await api(`${LIST}?PhoneNumber=${encodeURIComponent(number)}`));
    expect(list.incoming_phone_numbers).toEqual([record]);
    expect(spec.checkResponse(LIST, 200, list)).toEqual({ errors: [], tolerated: [RELATIVE_URI] });
    const one = `/2010-04-01/Accounts/${SID}/IncomingPhoneNumbers/${record.sid}.json`;
    expect(spec.checkResponse(one, 200, await jsonOf(await api(one)))).toEqual({ errors: [], tolerated: [] });
    // The validator catches what Twilio would not accept.
    expect(spec.validateRequest({ method: 'POST', path: LIST, rawQuery: '', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: '{}' })).toEqual([
      expect.stringMatching(/content-type application\/json is not one of application\/x-www-form-urlencoded/),
    ]);
    expect(
      spec.validateRequest({ method: 'POST', path: LIST, rawQuery: '', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: 'Phonenumber=%2B1' }),
    ).toEqual([expect.stringMatching(/form field Phonenumber is not a field/)]);
  });
});

describe('twilio ordering: what Twilio answers', () => {
  it('answers a second purchase of an owned number with 201 and the same record: completed, two purchases seen', async () => {
    const number = await firstSearched();
    const first = await ordering.purchase(number, purchaseCtx());
    const second = await ordering.purchase(number, purchaseCtx());
    expect(second).toEqual(first);
    expect(emu.purchases('twilio')).toEqual({ [number]: 2 });
    expect(emu.owned('twilio')).toHaveLength(1);
  });

  it('maps 21422 (a number Twilio does not have for sale) to number_unavailable', async () => {
    const held = new Set(emu.inventory('twilio').map((n) => n.e164));
    const elsewhere = emu.world().find((n) => n.country === 'US' && !held.has(n.e164))!.e164;
    expect(await ordering.purchase(elsewhere, purchaseCtx())).toEqual({
      state: 'failed',
      error: { code: 'number_unavailable', providerCode: '21422', message: expect.stringContaining('not available'), fix: expect.any(String) },
    });
  });

  it.each([
    [{ status: 400, code: 21631, message: 'Phone Number Requires an Address' }, 'regulatory_requirements', /Address/],
    [{ status: 400, code: 21649, message: 'Bundle required' }, 'regulatory_requirements', /Bundle/],
    [{ status: 401, code: 20005, message: 'Account not active' }, 'insufficient_funds', /funds/],
    [{ status: 400, code: 21404, message: 'Trial accounts are allowed only one Twilio number' }, 'account_restricted', /trial/],
    [{ status: 400, code: 21421, message: 'Phone Number is invalid' }, 'invalid_number', /E\.164/],
    [{ status: 400, code: 20001, message: 'Something else' }, 'invalid_request', /malformed/],
  ])('maps the documented purchase error %j to %s', async (purchaseError, code, fix) => {
    const number = await firstSearched();
    emu.setBehaviour('twilio', { options: { purchaseError } });
    const refused = await ordering.purchase(number, purchaseCtx());
    expect(refused).toMatchObject({ state: 'failed', error: { code, providerCode: String(purchaseError.code), fix: expect.stringMatching(fix) } });
    // Nothing was bought.
    expect(await ordering.reconcile({ phoneNumber: number, orderId: 'o' }, callCtx())).toBe('not_found');
  });

  it('releases without a sid by looking the number up, puts it back on sale, and a second release is already done', async () => {
    const number = await firstSearched();
    const c = purchaseCtx();
    await ordering.purchase(number, c);
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released' });
    expect(emu.owned('twilio')).toEqual([]);
    expect(emu.inventory('twilio').map((n) => n.e164)).toContain(number);
    expect(await ordering.reconcile(placed(number, c), callCtx())).toBe('not_found');
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released', alreadyGone: true });
    expect(await ordering.status(placed(number, c), callCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable' } });
  });
});

describe('twilio emulator: rejects what Twilio rejects', () => {
  it('answers 401/20003 to wrong credentials and 400 to a purchase without a readable PhoneNumber', async () => {
    const number = await firstSearched();
    const wrong = await fetch(`${emu.url}/twilio${LIST}`, { ...form(`PhoneNumber=${encodeURIComponent(number)}`), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${SID}:nope`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect((await jsonOf(wrong)).code).toBe(20003);
    const json = await api(LIST, { method: 'POST', body: JSON.stringify({ PhoneNumber: number }), headers: { 'content-type': 'application/json' } });
    expect([json.status, (await jsonOf(json)).code]).toEqual([400, 20001]);
    const malformed = await api(LIST, form('PhoneNumber=4155550123'));
    expect([malformed.status, (await jsonOf(malformed)).code]).toEqual([400, 21421]);
    expect(emu.owned('twilio')).toEqual([]);
  });

  it('buys only numbers of the type sub-resource, buys by AreaCode, and answers 404/20404 for an unknown sid', async () => {
    const number = await firstSearched();
    const tollFree = await api(`/2010-04-01/Accounts/${SID}/IncomingPhoneNumbers/TollFree.json`, form(`PhoneNumber=${encodeURIComponent(number)}`));
    expect([tollFree.status, (await jsonOf(tollFree)).code]).toEqual([400, 21422]);
    const byArea = await api(`/2010-04-01/Accounts/${SID}/IncomingPhoneNumbers/Local.json`, form('AreaCode=212'));
    expect(byArea.status).toBe(201);
    expect((await jsonOf(byArea)).phone_number).toMatch(/^\+1212\d{7}$/);
    const gone = await api(`/2010-04-01/Accounts/${SID}/IncomingPhoneNumbers/PN${'0'.repeat(32)}.json`, { method: 'DELETE' });
    expect([gone.status, (await jsonOf(gone)).code]).toEqual([404, 20404]);
  });
});
