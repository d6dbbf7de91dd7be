import { bandwidthEmulator } from '../../emulators/bandwidth/bandwidth.emulator';
import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { ConfigProblemList } from '../../src/config/config-problems';
import type { NumberOrdering } from '../../src/domain/number-ordering';
import { bandwidthProvider } from '../../src/providers/bandwidth/bandwidth.provider';
import type { NumberProvider } from '../../src/domain/number-provider';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { itBuysExactlyOnce } from '../support/ordering-behaviours';
import { callCtx, createOrderingFromEnv, orderingSetupFromEnv, placed, purchaseCtx, settled } from '../support/ordering-under-test';
import { createProviderFromEnv, ctx, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let ordering: NumberOrdering;
let search: NumberProvider;
const CREDS = bandwidthEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${CREDS.username}:${CREDS.password}`).toString('base64')}`;
const ACCOUNT = `/accounts/${CREDS.accountId}`;
const QUERY = { countryCode: 'US', areaCode: '919', limit: 5 };

/**
 * Bandwidth's spec lists every order type in a oneOf whose branches declare no required members, so any order
 * matches all of them and "must match exactly one" always fails: waived by name, every other check kept.
 */
const ONE_OF = 'oneOf of order types without required members';
/** The spec's own disconnect example answers `<DisconnectMode>normal</DisconnectMode>`, which its enum (NORMAL, PURGE) refuses. */
const DISCONNECT_MODE = 'DisconnectMode in lower case, as the spec example answers';
const spec = new OpenApiValidator('bandwidth-orders.openapi.yaml', [
  { name: ONE_OF, instancePath: /^(|\/OrderResponse|\/OrderResponse\/Order)$/, keyword: 'oneOf' },
  { name: DISCONNECT_MODE, instancePath: /^\/DisconnectTelephoneNumberOrderResponse\/orderRequest\/DisconnectTelephoneNumberOrderType\/DisconnectMode$/, keyword: 'enum' },
]);

beforeAll(async () => {
  emu = new EmulatorServer([bandwidthEmulator]);
  await emu.listen();
  ordering = createOrderingFromEnv(bandwidthProvider, emu.env());
  search = createProviderFromEnv(bandwidthProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  // Orders and disconnects finish as soon as they are followed, unless a test says otherwise.
  emu.setBehaviour('bandwidth', { options: { orderDelayMs: 0 } });
});

const firstSearched = async () => (await search.search(query(QUERY), ctx()))[0].phoneNumber;
const post = (path: string, body: string, contentType = 'application/xml', authorization = BASIC) =>
  fetch(`${emu.url}/bandwidth${ACCOUNT}${path}`, { method: 'POST', body, headers: { authorization, 'content-type': contentType } });
const order = (inner: string) => `<Order>${inner}</Order>`;
const existing = (tn: string) =>
  `<ExistingTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>${tn}</TelephoneNumber></TelephoneNumberList></ExistingTelephoneNumberOrderType>`;
const codeOf = async (res: Response) => /<Code>(\d+)<\/Code>/.exec(await res.text())?.[1];

itBuysExactlyOnce({ carrier: 'bandwidth', definition: bandwidthProvider, query: QUERY, secrets: [CREDS.password, BASIC.slice(6)] }, () => ({ emu, ordering, search }));

describe('bandwidth ordering: configuration', () => {
  it('cannot order without BANDWIDTH_SITE_ID, and says so', () => {
    const { BANDWIDTH_SITE_ID: _site, ...withoutSite } = emu.env();
    expect(orderingSetupFromEnv(bandwidthProvider, withoutSite)).toEqual({ available: false, reason: 'Bandwidth orders need BANDWIDTH_SITE_ID (error 5022 without it)' });
    // Search works without it.
    expect(() => createProviderFromEnv(bandwidthProvider, withoutSite)).not.toThrow();
  });

  it('refuses a site or peer id that is not numeric, and a peer without a site, at start-up', () => {
    const lines = (extra: Record<string, string>) => {
      const problems = new ConfigProblemList();
      const { BANDWIDTH_SITE_ID: _site, ...base } = emu.env();
      bandwidthProvider.readConfig({ ...base, ...extra }, problems);
      return problems.lines();
    };
    expect(lines({ BANDWIDTH_SITE_ID: 'site-7' })).toEqual([expect.stringMatching(/^BANDWIDTH_SITE_ID must be the numeric id .*got "site-7".*example: BANDWIDTH_SITE_ID=12345/)]);
    expect(lines({ BANDWIDTH_SITE_ID: '743', BANDWIDTH_PEER_ID: 'x' })).toEqual([expect.stringMatching(/^BANDWIDTH_PEER_ID must be the numeric id/)]);
    expect(lines({ BANDWIDTH_PEER_ID: '518824' })).toEqual([expect.stringMatching(/^BANDWIDTH_PEER_ID is set without BANDWIDTH_SITE_ID/)]);
    expect(lines({ BANDWIDTH_SITE_ID: '743', BANDWIDTH_PEER_ID: '518824' })).toEqual([]);
  });
});

describe('bandwidth ordering: wire requests and answers, checked against the official order operations', () => {
  it('orders one number with its site, peer and our reference, and follows the order to COMPLETE', async () => {
    const withPeer = createOrderingFromEnv(bandwidthProvider, { ...emu.env(), BANDWIDTH_PEER_ID: '518824' });
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await withPeer.purchase(number, c);
    expect(bought).toEqual({ state: 'pending', providerOrderId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const id = bought.state === 'pending' ? bought.providerOrderId : '';
    expect(await withPeer.status(placed(number, c, bought), callCtx())).toEqual({ state: 'completed', providerOrderId: id });
    const [create, follow] = emu.requests('bandwidth').filter((r) => r.operation === 'purchase' || r.operation === 'status');
    expect(create).toMatchObject({ method: 'POST', path: `${ACCOUNT}/orders`, status: 201 });
    expect(create.body).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Order>' +
        `<CustomerOrderId>${c.orderId}</CustomerOrderId>` +
        `<ExistingTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>${number.slice(2)}</TelephoneNumber></TelephoneNumberList></ExistingTelephoneNumberOrderType>` +
        '<PartialAllowed>false</PartialAllowed><SiteId>743</SiteId><PeerId>518824</PeerId></Order>',
    );
    expect(create.headers['content-type']).toBe('application/xml');
    expect(create.headers.authorization).toBe(redactAuthorization(BASIC));
    expect(create.headers.connection).toBe('close');
    expect(follow).toMatchObject({ method: 'GET', path: `${ACCOUNT}/orders/${id}`, rawQuery: 'tndetail=true' });
    for (const r of [create, follow]) expect({ path: r.path, errors: spec.validateRequest(r) }).toEqual({ path: r.path, errors: [] });
  });

  it('gets answers that match the spec: the 201 order, the order with CompletedNumbers, the list, a 400 with its ErrorList', async () => {
    const number = await firstSearched();
    const created = await post('/orders', order(`<CustomerOrderId>ref-1</CustomerOrderId>${existing(number.slice(2))}<SiteId>743</SiteId>`));
    expect(created.status).toBe(201);
    const body = await created.text();
    const id = /<id>([^<]+)<\/id>/.exec(body)![1];
    expect(created.headers.get('location')).toBe(`${ACCOUNT}/orders/${id}`);
    expect(spec.checkResponse(`${ACCOUNT}/orders`, 201, body, 'POST')).toEqual({ errors: [], tolerated: [ONE_OF] });
    const get = (path: string) => fetch(`${emu.url}/bandwidth${ACCOUNT}${path}`, { headers: { authorization: BASIC } }).then((r) => r.text());
    const done = await get(`/orders/${id}?tndetail=true`);
    expect(done).toContain(`<OrderStatus>COMPLETE</OrderStatus><CompletedNumbers><TelephoneNumber><FullNumber>${number.slice(2)}</FullNumber>`);
    expect(spec.checkResponse(`${ACCOUNT}/orders/${id}`, 200, done)).toEqual({ errors: [], tolerated: [ONE_OF] });
    const list = await get('/orders?customerOrderId=ref-1&page=1&size=20');
    expect(list).toContain(`<orderId>${id}</orderId>`);
    expect(spec.checkResponse(`${ACCOUNT}/orders`, 200, list)).toEqual({ errors: [], tolerated: [] });
    const refused = await post('/orders', order(`${existing(number.slice(2))}<SiteId>1</SiteId>`));
    const refusedBody = await refused.text();
    expect([refused.status, /<Code>(\d+)/.exec(refusedBody)?.[1]]).toEqual([400, '5016']);
    expect(spec.checkResponse(`${ACCOUNT}/orders`, 400, refusedBody, 'POST')).toEqual({ errors: [], tolerated: [ONE_OF] });
    // The validator reads XML strictly: a misspelt element and a wrong type are errors.
    const typo = { method: 'POST', path: `${ACCOUNT}/orders`, rawQuery: '', headers: { authorization: BASIC, 'content-type': 'application/xml' } };
    expect(spec.validateRequest({ ...typo, body: order(`${existing('9195550123')}<SiteID>743</SiteID><PartialAllowed>maybe</PartialAllowed>`) })).toEqual([
      'xml /Order/SiteID is not an element of the body',
      'xml /PartialAllowed must be boolean',
    ]);
  });

  it('releases with a disconnect order that matches the spec, and the number leaves the account', async () => {
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    await settled(ordering, placed(number, c, bought));
    expect(await ordering.release(placed(number, c, bought), callCtx())).toEqual({ state: 'released', note: expect.stringMatching(/^Bandwidth disconnects asynchronously \(disconnect order [0-9a-f-]{36}\)$/) });
    const disconnect = emu.requests('bandwidth').find((r) => r.operation === 'release')!;
    expect(disconnect).toMatchObject({ method: 'POST', path: `${ACCOUNT}/disconnects`, status: 201 });
    expect(disconnect.body).toContain(`<DisconnectTelephoneNumberOrder><CustomerOrderId>${c.orderId}</CustomerOrderId><DisconnectTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>${number.slice(2)}</TelephoneNumber>`);
    expect(spec.validateRequest(disconnect)).toEqual([]);
    expect(emu.owned('bandwidth')).toEqual([]);
    const tn = number.slice(2);
    const disconnectBody = (n: string) =>
      `<DisconnectTelephoneNumberOrder><DisconnectTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>${n}</TelephoneNumber></TelephoneNumberList></DisconnectTelephoneNumberOrderType></DisconnectTelephoneNumberOrder>`;
    const other = (await search.search(query(QUERY), ctx()))[0].phoneNumber;
    await ordering.purchase(other, purchaseCtx());
    const accepted = await post('/disconnects', disconnectBody(other.slice(2)));
    expect(accepted.status).toBe(201);
    expect(spec.checkResponse(`${ACCOUNT}/disconnects`, 201, await accepted.text(), 'POST')).toEqual({ errors: [], tolerated: [DISCONNECT_MODE] });
    expect(emu.inventory('bandwidth').map((n) => n.e164)).toContain(number);
    // A second disconnect: 5006, not on the account, which is released already.
    const again = await post('/disconnects', disconnectBody(tn));
    const againBody = await again.text();
    expect([again.status, /<Code>(\d+)/.exec(againBody)?.[1]]).toEqual([400, '5006']);
    expect(spec.checkResponse(`${ACCOUNT}/disconnects`, 400, againBody, 'POST')).toEqual({ errors: [], tolerated: [DISCONNECT_MODE] });
    expect(await ordering.release(placed(number, c, bought), callCtx())).toEqual({ state: 'released', alreadyGone: true });
  });
});

describe('bandwidth ordering: what Bandwidth answers', () => {
  it('keeps an order RECEIVED until Bandwidth processes it, the number out of every search meanwhile', async () => {
    emu.setBehaviour('bandwidth', { options: { orderDelayMs: 1500 } });
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    expect(await ordering.status(placed(number, c, bought), callCtx())).toMatchObject({ state: 'pending' });
    expect((await search.search(query(QUERY), ctx())).map((n) => n.phoneNumber)).not.toContain(number);
    // Releasing now is refused, saying to wait: the number is not on the account yet.
    expect(await ordering.release(placed(number, c, bought), callCtx())).toMatchObject({ state: 'failed', error: { providerCode: '5006', fix: expect.stringMatching(/once status\(\) says completed/) } });
    expect(await settled(ordering, placed(number, c, bought))).toMatchObject({ state: 'completed' });
  });

  it('fails a second order for a number being processed (5218), and one for a number already on the account (5005)', async () => {
    emu.setBehaviour('bandwidth', { options: { orderDelayMs: 1500 } });
    const number = await firstSearched();
    const first = purchaseCtx();
    const bought = await ordering.purchase(number, first);
    const second = purchaseCtx();
    const twice = await ordering.purchase(number, second);
    expect(twice).toMatchObject({ state: 'pending' });
    expect(await settled(ordering, placed(number, second, twice))).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', providerCode: '5218', fix: expect.stringMatching(/follow that order/) } });
    expect(await settled(ordering, placed(number, first, bought))).toMatchObject({ state: 'completed' });
    const third = purchaseCtx();
    const after = await ordering.purchase(number, third);
    expect(await settled(ordering, placed(number, third, after))).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', providerCode: '5005' } });
    expect(emu.purchases('bandwidth')).toEqual({ [number]: 3 });
    expect(emu.owned('bandwidth').map((o) => o.e164)).toEqual([number]);
  });

  it('fails an order for a number Bandwidth does not have (5071): number_unavailable', async () => {
    const held = new Set(emu.inventory('bandwidth').map((n) => n.e164));
    const elsewhere = emu.world().find((n) => n.country === 'US' && n.type === 'local' && !held.has(n.e164))!.e164;
    const c = purchaseCtx();
    const bought = await ordering.purchase(elsewhere, c);
    expect(await settled(ordering, placed(elsewhere, c, bought))).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', providerCode: '5071' } });
  });

  it('maps an order that ends FAILED with the code of its ErrorList, and refusals at once by code', async () => {
    emu.setBehaviour('bandwidth', { options: { orderDelayMs: 0, orderOutcome: 'FAILED', orderErrorCode: '5012' } });
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    expect(await ordering.status(placed(number, c, bought), callCtx())).toMatchObject({ state: 'failed', error: { code: 'account_restricted', providerCode: '5012' } });
    expect(emu.owned('bandwidth')).toEqual([]);
    emu.setBehaviour('bandwidth', { options: { purchaseError: '5086' } });
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'carrier_error', providerCode: '5086', fix: expect.stringMatching(/nothing was ordered/) } });
    const wrongSite = createOrderingFromEnv(bandwidthProvider, { ...emu.env(), BANDWIDTH_SITE_ID: '999' });
    expect(await wrongSite.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'invalid_request', providerCode: '5016', fix: expect.stringMatching(/BANDWIDTH_SITE_ID/) } });
  });

  it('tags the order with a CustomerOrderId Bandwidth accepts, whatever our order id, and finds it again by it', async () => {
    const number = await firstSearched();
    const c = purchaseCtx(undefined, 'order_2025/07:ä#'.padEnd(50, 'x'));
    emu.setBehaviour('bandwidth', { options: { orderDelayMs: 0 }, fault: { type: 'commit_then_reset' }, faultOn: ['purchase'] });
    expect(await ordering.purchase(number, c)).toMatchObject({ state: 'unknown' });
    const reference = emu.orders('bandwidth')[0].reference!;
    expect(reference).toMatch(/^[A-Za-z0-9 -]{40}$/);
    expect(await ordering.reconcile(placed(number, c), callCtx())).toMatchObject({ state: 'completed' });
    const listed = emu.requests('bandwidth').find((r) => r.operation === 'status' && r.path === `${ACCOUNT}/orders`)!;
    expect(new URLSearchParams(listed.rawQuery).get('customerOrderId')).toBe(reference);
    expect(spec.validateRequest(listed)).toEqual([]);
  });

  it('refuses numbers outside North America without calling Bandwidth', async () => {
    expect(await ordering.purchase('+442079460000', purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'invalid_number' } });
    expect(emu.requests('bandwidth')).toHaveLength(0);
  });
});

describe('bandwidth emulator: rejects what Bandwidth rejects', () => {
  it('answers 5022 without a site, 5052 for a bad reference, 5070 for a number that is not 10 digits, 415 and 400 for other bodies, 401 for bad credentials', async () => {
    const tn = (await firstSearched()).slice(2);
    expect(await codeOf(await post('/orders', order(existing(tn))))).toBe('5022');
    expect(await codeOf(await post('/orders', order(`<CustomerOrderId>no_underscores</CustomerOrderId>${existing(tn)}<SiteId>743</SiteId>`)))).toBe('5052');
    expect(await codeOf(await post('/orders', order(`${existing(`1${tn}`)}<SiteId>743</SiteId>`)))).toBe('5070');
    expect((await post('/orders', JSON.stringify({ SiteId: 743 }), 'application/json')).status).toBe(415);
    expect((await post('/orders', '<Order><SiteId>743</Order>')).status).toBe(400);
    const unauthorised = await post('/orders', order(`${existing(tn)}<SiteId>743</SiteId>`), 'application/xml', `Basic ${Buffer.from(`${CREDS.username}:nope`).toString('base64')}`);
    expect([unauthorised.status, await unauthorised.text()]).toEqual([401, '']);
    expect(emu.owned('bandwidth')).toEqual([]);
  });
});
