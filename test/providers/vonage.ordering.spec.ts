import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { vonageEmulator } from '../../emulators/vonage/vonage.emulator';
import type { NumberOrdering } from '../../src/domain/number-ordering';
import type { NumberProvider } from '../../src/domain/number-provider';
import { vonageProvider } from '../../src/providers/vonage/vonage.provider';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { itBuysExactlyOnce } from '../support/ordering-behaviours';
import { callCtx, createOrderingFromEnv, placed, purchaseCtx } from '../support/ordering-under-test';
import { createProviderFromEnv, ctx, jsonOf, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let ordering: NumberOrdering;
let search: NumberProvider;
const { apiKey: KEY, apiSecret: SECRET } = vonageEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const QUERY = { countryCode: 'GB', phoneNumberType: 'mobile' as const, limit: 5 };
// The 2020 spec declares query credentials; the current portal spec and the official SDK use Basic, which the
// adapter sends (test/providers/vonage-spec.spec.ts asserts that one difference).
const spec = new OpenApiValidator('vonage-numbers.openapi.yaml', { security: { name: 'basicAuth', scheme: { type: 'http', scheme: 'basic' } } });

beforeAll(async () => {
  emu = new EmulatorServer([vonageEmulator]);
  await emu.listen();
  ordering = createOrderingFromEnv(vonageProvider, emu.env());
  search = createProviderFromEnv(vonageProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const firstSearched = async () => (await search.search(query(QUERY), ctx()))[0].phoneNumber;
const post = (path: string, body: string, headers: Record<string, string> = { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }) =>
  fetch(`${emu.url}/vonage${path}`, { method: 'POST', body, headers });

itBuysExactlyOnce({ carrier: 'vonage', definition: vonageProvider, query: QUERY, secrets: [SECRET, BASIC.slice(6)] }, () => ({ emu, ordering, search }));

describe('vonage ordering: wire requests, checked against the official buy, cancel and owned-numbers operations', () => {
  it('buys with a form of country and msisdn (no +), looks up with pattern, cancels with the same form', async () => {
    const number = await firstSearched();
    const c = purchaseCtx();
    expect(await ordering.purchase(number, c)).toEqual({ state: 'completed' });
    expect(await ordering.reconcile(placed(number, c), callCtx())).toEqual({ state: 'completed' });
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released' });
    const calls = emu.requests('vonage').filter((r) => r.operation !== 'search');
    const msisdn = number.slice(1);
    expect(calls.map((r) => [r.method, r.path, r.rawQuery, r.body, r.status])).toEqual([
      ['POST', '/number/buy', '', `country=GB&msisdn=${msisdn}`, 200],
      ['GET', '/account/numbers', `country=GB&pattern=${msisdn}&search_pattern=0`, '', 200],
      ['POST', '/number/cancel', '', `country=GB&msisdn=${msisdn}`, 200],
    ]);
    for (const r of calls) {
      expect(r.headers.authorization).toBe(redactAuthorization(BASIC));
      expect({ path: r.path, errors: spec.validateRequest(r) }).toEqual({ path: r.path, errors: [] });
    }
    expect(calls[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('gets answers that match the spec: 200 success, 401, 420, the owned-numbers list', async () => {
    const number = await firstSearched();
    const form = `country=GB&msisdn=${number.slice(1)}`;
    const bought = await post('/number/buy', form);
    expect(spec.checkResponse('/number/buy', 200, await jsonOf(bought), 'POST')).toEqual({ errors: [], tolerated: [] });
    const again = await post('/number/buy', form);
    expect(again.status).toBe(420);
    expect(spec.checkResponse('/number/buy', 420, await jsonOf(again), 'POST')).toEqual({ errors: [], tolerated: [] });
    const unauthorised = await post('/number/buy', form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(spec.checkResponse('/number/buy', 401, await jsonOf(unauthorised), 'POST')).toEqual({ errors: [], tolerated: [] });
    const owned = await jsonOf(await fetch(`${emu.url}/vonage/account/numbers?country=GB`, { headers: { authorization: BASIC } }));
    expect(owned).toEqual({ count: 1, numbers: [expect.objectContaining({ country: 'GB', msisdn: number.slice(1), type: 'mobile-lvn' })] });
    expect(spec.checkResponse('/account/numbers', 200, owned)).toEqual({ errors: [], tolerated: [] });
    const cancelled = await post('/number/cancel', form);
    expect(spec.checkResponse('/number/cancel', 200, await jsonOf(cancelled), 'POST')).toEqual({ errors: [], tolerated: [] });
    // The validator refuses a buy without msisdn, as the spec requires it.
    expect(spec.validateRequest({ method: 'POST', path: '/number/buy', rawQuery: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'country=GB' })).toEqual([
      "authorization does not satisfy http/basic",
      expect.stringMatching(/must have required property 'msisdn'/),
    ]);
  });
});

describe('vonage ordering: what Vonage answers', () => {
  it('maps a second purchase (420 "already own") to already_owned, and counts both purchases', async () => {
    const number = await firstSearched();
    await ordering.purchase(number, purchaseCtx());
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({
      state: 'failed',
      error: { code: 'already_owned', providerCode: '420', fix: expect.stringMatching(/reconcile/) },
    });
    expect(emu.purchases('vonage')).toEqual({ [number]: 2 });
  });

  it('maps a number Vonage does not sell (420 with another label) to number_unavailable', async () => {
    const held = new Set(emu.inventory('vonage').map((n) => n.e164));
    const elsewhere = emu.world().find((n) => n.country === 'GB' && n.type === 'mobile' && !held.has(n.e164))!.e164;
    expect(await ordering.purchase(elsewhere, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', providerCode: '420' } });
  });

  it.each([
    ['method failed', 'insufficient_funds', /balance/],
    [
      'Numbers from this country can be requested from the Dashboard (https://dashboard.nexmo.com/buy-numbers) as they require a valid local address to be provided before being purchased.',
      'regulatory_requirements',
      /address/,
    ],
  ])('maps the 420 label "%s" to %s', async (label, code, fix) => {
    const number = await firstSearched();
    emu.setBehaviour('vonage', { options: { purchaseError: label } });
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code, fix: expect.stringMatching(fix) } });
    expect(emu.owned('vonage')).toEqual([]);
  });

  it('reads error-code even in a 200: only "200" is a purchase', async () => {
    const number = await firstSearched();
    emu.setBehaviour('vonage', { fault: { type: 'wrong_shape' }, faultOn: ['purchase'] });
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'unknown' });
  });

  it('buys a toll-free number of either NANP country, and a second release is already done', async () => {
    const number = (await search.search(query({ countryCode: 'CA', phoneNumberType: 'toll_free', limit: 1 }), ctx()))[0].phoneNumber;
    const c = purchaseCtx();
    expect(await ordering.purchase(number, c)).toEqual({ state: 'completed' });
    expect(await ordering.status(placed(number, c), callCtx())).toEqual({ state: 'completed' });
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released' });
    expect(emu.inventory('vonage').map((n) => n.e164)).toContain(number);
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released', alreadyGone: true });
    expect(await ordering.status(placed(number, c), callCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable' } });
  });
});

describe('vonage emulator: rejects what Vonage rejects', () => {
  it('answers 400 with a field map for missing or malformed fields, and reads only forms', async () => {
    const number = await firstSearched();
    const missing = await post('/number/buy', `msisdn=${number.slice(1)}`);
    expect([missing.status, await jsonOf(missing)]).toEqual([400, { country: 'Is required.' }]);
    const plus = await post('/number/buy', `country=GB&msisdn=${encodeURIComponent(number)}`);
    expect([plus.status, await jsonOf(plus)]).toEqual([400, { msisdn: 'Is invalid.' }]);
    const json = await post('/number/buy', JSON.stringify({ country: 'GB', msisdn: number.slice(1) }), { authorization: BASIC, 'content-type': 'application/json' });
    expect([json.status, await jsonOf(json)]).toEqual([400, { country: 'Is required.', msisdn: 'Is required.' }]);
    expect(emu.owned('vonage')).toEqual([]);
  });

  it('accepts the older api_key/api_secret form fields, refuses a wrong secret and a GET on buy', async () => {
    const number = await firstSearched();
    const legacy = await post('/number/buy', `api_key=${KEY}&api_secret=${SECRET}&country=GB&msisdn=${number.slice(1)}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(await jsonOf(legacy)).toEqual({ 'error-code': '200', 'error-code-label': 'success' });
    // The secret never reaches the request log.
    expect(emu.requests('vonage').at(-1)!.body).not.toContain(SECRET);
    const wrong = await post('/number/buy', `api_key=${KEY}&api_secret=nope&country=GB&msisdn=${number.slice(1)}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect([wrong.status, (await jsonOf(wrong))['error-code']]).toEqual([401, '401']);
    expect((await fetch(`${emu.url}/vonage/number/buy`, { headers: { authorization: BASIC } })).status).toBe(405);
  });
});
