import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { plivoEmulator } from '../../emulators/plivo/plivo.emulator';
import type { NumberOrdering } from '../../src/domain/number-ordering';
import { plivoProvider } from '../../src/providers/plivo/plivo.provider';
import type { NumberProvider } from '../../src/domain/number-provider';
import { itBuysExactlyOnce } from '../support/ordering-behaviours';
import { callCtx, createOrderingFromEnv, placed, purchaseCtx } from '../support/ordering-under-test';
import { createProviderFromEnv, ctx, jsonOf, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let ordering: NumberOrdering;
let search: NumberProvider;
const { authId: AUTH_ID, authToken: AUTH_TOKEN } = plivoEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${AUTH_ID}:${AUTH_TOKEN}`).toString('base64')}`;
const QUERY = { countryCode: 'GB', areaCode: '20', limit: 5 };

beforeAll(async () => {
  emu = new EmulatorServer([plivoEmulator]);
  await emu.listen();
  ordering = createOrderingFromEnv(plivoProvider, emu.env());
  search = createProviderFromEnv(plivoProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const firstSearched = async () => (await search.search(query(QUERY), ctx()))[0].phoneNumber;
const buy = (digits: string, body: string, headers: Record<string, string> = { authorization: BASIC, 'content-type': 'application/json' }, account = AUTH_ID) =>
  fetch(`${emu.url}/plivo/v1/Account/${account}/PhoneNumber/${digits}/`, { method: 'POST', body, headers });

itBuysExactlyOnce({ carrier: 'plivo', definition: plivoProvider, query: QUERY, secrets: [AUTH_TOKEN, BASIC.slice(6)] }, () => ({ emu, ordering, search }));

describe('plivo ordering: wire requests', () => {
  it('buys with a POST on the number (digits, trailing slash), looks it up and unrents it on /Number/{number}/', async () => {
    const number = await firstSearched();
    const digits = number.slice(1);
    const c = purchaseCtx();
    expect(await ordering.purchase(number, c)).toEqual({ state: 'completed' });
    expect(await ordering.reconcile(placed(number, c), callCtx())).toEqual({ state: 'completed' });
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released', note: expect.stringMatching(/10 days/) });
    const calls = emu.requests('plivo').filter((r) => r.operation !== 'search');
    expect(calls.map((r) => [r.method, r.path, r.body, r.status])).toEqual([
      ['POST', `/v1/Account/${AUTH_ID}/PhoneNumber/${digits}/`, '{}', 201],
      ['GET', `/v1/Account/${AUTH_ID}/Number/${digits}/`, '', 200],
      ['DELETE', `/v1/Account/${AUTH_ID}/Number/${digits}/`, '', 204],
    ]);
    expect(calls[0].headers['content-type']).toBe('application/json');
    for (const r of calls) expect(r.headers.authorization).toBe(redactAuthorization(BASIC));
  });

  it('gets the documented answers: 201 fulfilled with the number’s status, the account number object, 404 not found', async () => {
    const number = await firstSearched();
    const digits = number.slice(1);
    const created = await buy(digits, '{"cnam_lookup":"disabled"}');
    expect(created.status).toBe(201);
    expect(await jsonOf(created)).toEqual({ api_id: expect.any(String), message: 'created', numbers: [{ number: digits, status: 'Success' }], status: 'fulfilled' });
    const mine = await jsonOf(await fetch(`${emu.url}/plivo/v1/Account/${AUTH_ID}/Number/${digits}/`, { headers: { authorization: BASIC } }));
    expect(mine).toMatchObject({ number: digits, carrier: 'Plivo', number_type: 'fixed', resource_uri: `/v1/Account/${AUTH_ID}/Number/${digits}/`, sub_account: null });
    const other = await fetch(`${emu.url}/plivo/v1/Account/${AUTH_ID}/Number/4420000000000/`, { headers: { authorization: BASIC } });
    expect([other.status, (await jsonOf(other)).error]).toEqual([404, 'not found']);
  });
});

describe('plivo ordering: what Plivo answers', () => {
  it('treats a number waiting for verification as action_required until it activates', async () => {
    emu.setBehaviour('plivo', { options: { verification: 'required', orderDelayMs: 0 } });
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    expect(bought).toEqual({
      state: 'action_required',
      error: { code: 'regulatory_requirements', message: expect.stringContaining('pending verification'), fix: expect.stringMatching(/documents/) },
    });
    // Activated once the documents are accepted (at once here): on the account, completed.
    expect(await ordering.status(placed(number, c, bought), callCtx())).toEqual({ state: 'completed' });
    expect(emu.owned('plivo')).toEqual([expect.objectContaining({ e164: number, status: 'active' })]);
  });

  it('keeps a number whose documents are refused as action_required, and Plivo puts it back on sale', async () => {
    emu.setBehaviour('plivo', { options: { verification: 'rejected', orderDelayMs: 0 } });
    const number = await firstSearched();
    const c = purchaseCtx();
    expect(await ordering.purchase(number, c)).toMatchObject({ state: 'action_required' });
    expect(await ordering.status(placed(number, c), callCtx())).toMatchObject({ state: 'action_required' });
    expect(await ordering.reconcile(placed(number, c), callCtx())).toBe('not_found');
    expect(emu.inventory('plivo').map((n) => n.e164)).toContain(number);
  });

  it('maps a second purchase (404 not found) to number_unavailable, two purchases seen', async () => {
    const number = await firstSearched();
    await ordering.purchase(number, purchaseCtx());
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', message: 'Plivo: not found' } });
    expect(emu.purchases('plivo')).toEqual({ [number]: 2 });
  });

  it.each([
    ['insufficient credit to rent this number', 'insufficient_funds'],
    ['compliance_application_id is required for this number', 'regulatory_requirements'],
    ['invalid number', 'invalid_number'],
    ['something unexpected', 'invalid_request'],
  ])('reads the 400 message "%s" as %s', async (error, code) => {
    emu.setBehaviour('plivo', { options: { purchaseError: { status: 400, error } } });
    expect(await ordering.purchase(await firstSearched(), purchaseCtx())).toMatchObject({ state: 'failed', error: { code, message: `Plivo: ${error}` } });
  });

  it('holds an unrented number for 10 days (not on sale), and a second unrent is already done', async () => {
    const number = await firstSearched();
    const c = purchaseCtx();
    await ordering.purchase(number, c);
    await ordering.release(placed(number, c), callCtx());
    expect(emu.owned('plivo')).toEqual([]);
    expect(emu.inventory('plivo').map((n) => n.e164)).not.toContain(number);
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable' } });
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released', alreadyGone: true });
    // With the hold over, it is on sale again.
    emu.reset();
    emu.setBehaviour('plivo', { options: { releaseHoldMs: 0 } });
    await ordering.purchase(number, c);
    await ordering.release(placed(number, c), callCtx());
    expect(emu.inventory('plivo').map((n) => n.e164)).toContain(number);
  });
});

describe('plivo emulator: rejects what Plivo rejects', () => {
  it('refuses a wrong token, another account’s path, a body that is not JSON and a bad cnam_lookup', async () => {
    const digits = (await firstSearched()).slice(1);
    const wrong = await buy(digits, '{}', { authorization: `Basic ${Buffer.from(`${AUTH_ID}:nope`).toString('base64')}` });
    expect([wrong.status, await jsonOf(wrong)]).toEqual([401, { error: 'authentication failed' }]);
    expect((await buy(digits, '{}', { authorization: BASIC }, 'MAOTHERACCOUNT000001')).status).toBe(401);
    expect((await buy(digits, 'app_id=1', { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
    expect((await buy(digits, '{"cnam_lookup":"yes"}')).status).toBe(400);
    expect(emu.owned('plivo')).toEqual([]);
  });
});
