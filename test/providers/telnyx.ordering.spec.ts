import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { telnyxEmulator } from '../../emulators/telnyx/telnyx.emulator';
import type { NumberOrdering } from '../../src/domain/number-ordering';
import type { NumberProvider } from '../../src/domain/number-provider';
import { telnyxProvider } from '../../src/providers/telnyx/telnyx.provider';
import { itBuysExactlyOnce } from '../support/ordering-behaviours';
import { callCtx, createOrderingFromEnv, placed, purchaseCtx, settled } from '../support/ordering-under-test';
import { createProviderFromEnv, ctx, jsonOf, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let ordering: NumberOrdering;
let search: NumberProvider;
const KEY = telnyxEmulator.defaultCredentials.apiKey;
const BEARER = `Bearer ${KEY}`;
const QUERY = { countryCode: 'US', areaCode: '312', limit: 5 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  emu = new EmulatorServer([telnyxEmulator]);
  await emu.listen();
  ordering = createOrderingFromEnv(telnyxProvider, emu.env());
  search = createProviderFromEnv(telnyxProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  // Orders finish as soon as they are followed, unless a test says otherwise.
  emu.setBehaviour('telnyx', { options: { orderDelayMs: 0 } });
});

const firstSearched = async () => (await search.search(query(QUERY), ctx()))[0].phoneNumber;
const orderRequest = (body: string, contentType = 'application/json') =>
  fetch(`${emu.url}/telnyx/v2/number_orders`, { method: 'POST', body, headers: { authorization: BEARER, 'content-type': contentType } });

itBuysExactlyOnce({ carrier: 'telnyx', definition: telnyxProvider, query: QUERY, secrets: [KEY] }, () => ({ emu, ordering, search }));

describe('telnyx ordering: number orders', () => {
  it('posts one JSON order tagged with our order id, and gets a pending order (HTTP 200) to follow', async () => {
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    expect(bought).toEqual({ state: 'pending', providerOrderId: expect.stringMatching(UUID) });
    const [req] = emu.requests('telnyx').filter((r) => r.operation === 'purchase');
    expect(req).toMatchObject({ method: 'POST', path: '/v2/number_orders', status: 200 });
    expect(JSON.parse(req.body)).toEqual({ phone_numbers: [{ phone_number: number }], customer_reference: c.orderId });
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toBe(redactAuthorization(BEARER));
    expect(req.headers.connection).toBe('close');
    expect(await ordering.status(placed(number, c, bought), callCtx())).toEqual({ state: 'completed', providerOrderId: bought.state === 'pending' ? bought.providerOrderId : '' });
    expect(emu.requests('telnyx').at(-1)).toMatchObject({ method: 'GET', path: `/v2/number_orders/${bought.state === 'pending' ? bought.providerOrderId : ''}` });
  });

  it('keeps an order pending until the carrier finishes it, the number on the account as purchase-pending meanwhile', async () => {
    emu.setBehaviour('telnyx', { options: { orderDelayMs: 1500 } });
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    expect(await ordering.status(placed(number, c, bought), callCtx())).toMatchObject({ state: 'pending' });
    expect(emu.owned('telnyx')).toEqual([expect.objectContaining({ e164: number, status: 'purchase-pending' })]);
    // Out of every search while pending.
    expect((await search.search(query(QUERY), ctx())).map((n) => n.phoneNumber)).not.toContain(number);
    expect(await settled(ordering, placed(number, c, bought))).toMatchObject({ state: 'completed' });
    expect(emu.owned('telnyx')).toEqual([expect.objectContaining({ e164: number, status: 'active' })]);
  });

  it('reports an order that ends in failure as failed, and the number is on sale again', async () => {
    emu.setBehaviour('telnyx', { options: { orderDelayMs: 0, orderOutcome: 'failure' } });
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    expect(await ordering.status(placed(number, c, bought), callCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable' } });
    expect(await ordering.reconcile(placed(number, c), callCtx())).toMatchObject({ state: 'failed' });
    expect(emu.owned('telnyx')).toEqual([]);
    expect(emu.inventory('telnyx').map((n) => n.e164)).toContain(number);
  });

  it('reports unmet regulatory requirements as action_required, at purchase, in status and in reconcile', async () => {
    emu.setBehaviour('telnyx', { options: { orderDelayMs: 0, orderOutcome: 'requirements' } });
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    const expected = {
      state: 'action_required',
      providerOrderId: expect.stringMatching(UUID),
      error: { code: 'regulatory_requirements', message: expect.stringContaining('requirement-info-pending'), fix: expect.stringMatching(/documents/) },
    };
    expect(bought).toEqual(expected);
    expect(await ordering.status(placed(number, c, bought), callCtx())).toEqual(expected);
    expect(await ordering.reconcile(placed(number, c), callCtx())).toEqual(expected);
  });

  it('refuses a second order for a number it sold (422 about the number): number_unavailable, two purchases seen', async () => {
    const number = await firstSearched();
    await ordering.purchase(number, purchaseCtx());
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', providerCode: '10015' } });
    expect(emu.purchases('telnyx')).toEqual({ [number]: 2 });
  });

  it.each([
    [{ status: 403, code: '20100', title: 'Insufficient funds', detail: 'The account balance is too low.' }, 'insufficient_funds'],
    [{ status: 403, code: '20013', title: 'Account blocked', detail: 'The account is blocked.' }, 'account_restricted'],
    [{ status: 422, code: '10002', title: 'Invalid phone number', detail: 'The phone number is invalid.' }, 'invalid_number'],
    [{ status: 401, code: '10009', title: 'Authentication failed', detail: 'Bad key.' }, 'auth_failed'],
    [{ status: 400, code: '10015', title: 'Bad Request', detail: 'Malformed.' }, 'invalid_request'],
  ])('maps %j to %s', async (purchaseError, code) => {
    emu.setBehaviour('telnyx', { options: { purchaseError } });
    const refused = await ordering.purchase(await firstSearched(), purchaseCtx());
    expect(refused).toMatchObject({ state: 'failed', error: { code, providerCode: purchaseError.code } });
  });
});

describe('telnyx ordering: reconcile and release', () => {
  it('finds a lost order by our reference, and releases the phone number resource by its own id, not the order’s', async () => {
    const number = await firstSearched();
    emu.setBehaviour('telnyx', { fault: { type: 'commit_then_reset' }, faultOn: ['purchase'] });
    const c = purchaseCtx();
    expect(await ordering.purchase(number, c)).toMatchObject({ state: 'unknown' });
    const found = await ordering.reconcile(placed(number, c), callCtx());
    expect(found).toEqual({ state: 'completed', providerOrderId: expect.stringMatching(UUID) });
    const lookups = emu.requests('telnyx').filter((r) => r.operation === 'status');
    expect(lookups.map((r) => [r.path, decodeURIComponent(r.rawQuery)])).toEqual([['/v2/number_orders', `filter[customer_reference]=${c.orderId}`]]);

    expect(await ordering.release(placed(number, c, found as never), callCtx())).toEqual({ state: 'released' });
    const [lookup, deletion] = emu.requests('telnyx').filter((r) => r.operation === 'lookup' || r.operation === 'release');
    expect(decodeURIComponent(lookup.rawQuery)).toBe(`filter[phone_number]=${number}`);
    expect(deletion).toMatchObject({ method: 'DELETE', path: expect.stringMatching(/^\/v2\/phone_numbers\/\d{19}$/), status: 200 });
    expect(emu.inventory('telnyx').map((n) => n.e164)).toContain(number);
    // The order itself stays a completed purchase: reconcile answers for the order, not for today's account.
    expect(await ordering.reconcile(placed(number, c), callCtx())).toMatchObject({ state: 'completed' });
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released', alreadyGone: true });
  });

  it('refuses to release a number whose order is still pending, saying what to do', async () => {
    emu.setBehaviour('telnyx', { options: { orderDelayMs: 60_000 } });
    const number = await firstSearched();
    const c = purchaseCtx();
    await ordering.purchase(number, c);
    expect(await ordering.release(placed(number, c), callCtx())).toMatchObject({
      state: 'failed',
      error: { code: 'carrier_error', providerCode: '10015', fix: expect.stringMatching(/once status\(\) says completed/) },
    });
    expect(emu.owned('telnyx')).toHaveLength(1);
  });

  it('finds a number on the account that no order of ours bought (completed, no order id)', async () => {
    const number = await firstSearched();
    await ordering.purchase(number, purchaseCtx());
    expect(await ordering.reconcile({ phoneNumber: number, orderId: 'another-order' }, callCtx())).toEqual({ state: 'completed' });
  });
});

describe('telnyx emulator: rejects what Telnyx rejects', () => {
  it('answers malformed orders with Telnyx error bodies, and refuses a wrong key', async () => {
    const number = await firstSearched();
    const notJson = await orderRequest(`phone_numbers=${number}`, 'application/x-www-form-urlencoded');
    expect([notJson.status, (await jsonOf(notJson)).errors[0].code]).toEqual([400, '10015']);
    const empty = await orderRequest(JSON.stringify({ phone_numbers: [] }));
    expect([empty.status, (await jsonOf(empty)).errors[0].code]).toEqual([422, '10004']);
    const national = await orderRequest(JSON.stringify({ phone_numbers: [{ phone_number: number.slice(2) }] }));
    expect([national.status, (await jsonOf(national)).errors[0].code]).toEqual([422, '10016']);
    const wrongKey = await fetch(`${emu.url}/telnyx/v2/number_orders`, {
      method: 'POST',
      body: JSON.stringify({ phone_numbers: [{ phone_number: number }] }),
      headers: { authorization: 'Bearer KEY_wrong', 'content-type': 'application/json' },
    });
    expect([wrongKey.status, (await jsonOf(wrongKey)).errors[0].code]).toEqual([401, '10009']);
    expect(emu.owned('telnyx')).toEqual([]);
  });

  it('lists orders by reference and status, and phone numbers by at least three digits', async () => {
    const number = await firstSearched();
    const res = await orderRequest(JSON.stringify({ phone_numbers: [{ phone_number: number }], customer_reference: 'ref-1' }));
    expect((await jsonOf(res)).data).toMatchObject({ record_type: 'number_order', status: 'pending', customer_reference: 'ref-1', phone_numbers_count: 1 });
    const get = (path: string) => fetch(`${emu.url}/telnyx${path}`, { headers: { authorization: BEARER } }).then(jsonOf);
    expect((await get('/v2/number_orders?filter[customer_reference]=ref-1')).data).toHaveLength(1);
    expect((await get('/v2/number_orders?filter[customer_reference]=ref-2')).data).toHaveLength(0);
    expect((await get('/v2/number_orders?filter[status]=success')).data).toHaveLength(1);
    expect((await get(`/v2/phone_numbers?filter[phone_number]=${number.slice(2, 8)}`)).data).toEqual([expect.objectContaining({ phone_number: number, status: 'active' })]);
    const short = await fetch(`${emu.url}/telnyx/v2/phone_numbers?filter[phone_number]=31`, { headers: { authorization: BEARER } });
    expect(short.status).toBe(422);
  });
});
