import { redactAuthorization, redactCredential } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { signalwireEmulator } from '../../emulators/signalwire/signalwire.emulator';
import { sinchEmulator } from '../../emulators/sinch/sinch.emulator';
import { twilioEmulator } from '../../emulators/twilio/twilio.emulator';
import { vonageEmulator } from '../../emulators/vonage/vonage.emulator';
import { signalwireProvider } from '../../src/providers/signalwire/signalwire.provider';
import { twilioProvider } from '../../src/providers/twilio/twilio.provider';
import { callCtx, createOrderingFromEnv, purchaseCtx } from '../support/ordering-under-test';
import { createProviderFromEnv, ctx, jsonOf, query } from '../support/provider-under-test';

/**
 * What every carrier emulator shares for ordering: one world of numbers (a number sold anywhere leaves every
 * search), reset restoring it, faults scoped to kinds of calls, the control API, and request logs without
 * credentials.
 */
let emu: EmulatorServer;
beforeAll(async () => {
  emu = new EmulatorServer([twilioEmulator, signalwireEmulator, vonageEmulator, sinchEmulator]);
  await emu.listen();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const control = (path: string, init: RequestInit = {}) => fetch(`${emu.url}/_emulator${path}`, init);
const TWILIO = twilioEmulator.defaultCredentials;
const TWILIO_BASIC = `Basic ${Buffer.from(`${TWILIO.user}:${TWILIO.password}`).toString('base64')}`;

/** A US local number both Twilio and SignalWire hold (their inventories overlap, as carriers' do). */
function sharedNumber(): string {
  const signalwire = new Set(emu.inventory('signalwire').map((n) => n.e164));
  return emu.inventory('twilio').find((n) => n.country === 'US' && n.type === 'local' && signalwire.has(n.e164))!.e164;
}

describe('one world of numbers', () => {
  it('takes a number sold at one carrier out of every carrier’s search and purchase, until reset', async () => {
    const number = sharedNumber();
    const areaCode = number.slice(2, 5);
    const signalwireSearch = createProviderFromEnv(signalwireProvider, emu.env());
    const findAtSignalWire = async () =>
      (await signalwireSearch.search(query({ countryCode: 'US', areaCode, limit: 50 }), ctx())).map((n) => n.phoneNumber);
    expect(await findAtSignalWire()).toContain(number);

    const twilio = createOrderingFromEnv(twilioProvider, emu.env());
    expect(await twilio.purchase(number, purchaseCtx())).toMatchObject({ state: 'completed' });
    expect(await findAtSignalWire()).not.toContain(number);
    expect(emu.inventory('signalwire').map((n) => n.e164)).not.toContain(number);
    const signalwire = createOrderingFromEnv(signalwireProvider, emu.env());
    expect(await signalwire.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable' } });
    expect(emu.purchases('signalwire')).toEqual({ [number]: 1 });

    // Reset restores the inventory, the accounts and the counts, in process and over the control API.
    expect((await control('/reset', { method: 'POST' })).status).toBe(200);
    expect(await findAtSignalWire()).toContain(number);
    expect(emu.owned('twilio')).toEqual([]);
    expect(await jsonOf(await control('/carriers/twilio/account'))).toEqual({ purchases: {}, owned: [], orders: [] });
    expect(await twilio.reconcile({ phoneNumber: number, orderId: 'o' }, callCtx())).toBe('not_found');
  });

  it('shows purchases and owned numbers over the control API', async () => {
    const number = sharedNumber();
    await createOrderingFromEnv(twilioProvider, emu.env()).purchase(number, purchaseCtx());
    const account = await jsonOf(await control('/carriers/twilio/account'));
    expect(account.purchases).toEqual({ [number]: 1 });
    expect(account.owned).toEqual([expect.objectContaining({ e164: number, id: expect.stringMatching(/^PN/), status: 'in-use' })]);
  });
});

describe('a number sold to a customer outside the emulated accounts', () => {
  it('leaves every search, and each carrier answers its own "not available" to a purchase of it, until reset', async () => {
    const number = sharedNumber();
    const sold = await control('/world/sold', { method: 'POST', body: JSON.stringify({ phoneNumber: number }) });
    expect(await sold.json()).toEqual({ sold: number });
    expect(emu.inventory('twilio').map((n) => n.e164)).not.toContain(number);
    expect(emu.inventory('signalwire').map((n) => n.e164)).not.toContain(number);
    const twilio = createOrderingFromEnv(twilioProvider, emu.env());
    expect(await twilio.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', providerCode: '21422' } });
    expect(emu.owned('twilio')).toEqual([]);
    emu.reset();
    expect(emu.inventory('twilio').map((n) => n.e164)).toContain(number);
  });

  it('refuses a number the emulated world does not have, and a body without one', async () => {
    expect((await control('/world/sold', { method: 'POST', body: JSON.stringify({ phoneNumber: '+10000000000' }) })).status).toBe(400);
    expect((await control('/world/sold', { method: 'POST', body: '{}' })).status).toBe(400);
  });
});

describe('faults scoped to kinds of calls', () => {
  it('accepts faultOn over the control API, merged like the rest, and refuses an unknown kind', async () => {
    const put = (body: unknown) => control('/carriers/twilio/behaviour', { method: 'PUT', body: JSON.stringify(body) });
    expect((await put({ fault: { type: 'commit_then_reset' }, faultOn: ['purchase', 'release'] })).status).toBe(200);
    const merged = await jsonOf(await put({ latencyMs: 0 }));
    expect(merged).toMatchObject({ fault: { type: 'commit_then_reset' }, faultOn: ['purchase', 'release'] });
    const bad = await put({ faultOn: ['buying'] });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error).toMatch(/faultOn must be an array of search, token, purchase, status, lookup, release, other, ordering/);
    expect((await put({ fault: { type: 'commit_then_explode' } })).status).toBe(400);
  });

  it('counts faultTimes on the scoped calls only, and logs what each call was', async () => {
    const number = sharedNumber();
    const search = createProviderFromEnv(twilioProvider, emu.env());
    const ordering = createOrderingFromEnv(twilioProvider, emu.env());
    emu.setBehaviour('twilio', { fault: { type: 'error', status: 503 }, faultOn: ['ordering'], faultTimes: 1 });
    await search.search(query({ countryCode: 'US', limit: 1 }), ctx());
    expect(await ordering.reconcile({ phoneNumber: number, orderId: 'o' }, callCtx())).toMatchObject({ state: 'unknown' });
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'completed' });
    expect(emu.requests('twilio').map((r) => [r.operation, r.outcome, r.status])).toEqual([
      ['search', 'answered', 200],
      ['lookup', 'error', 503],
      ['purchase', 'answered', 201],
    ]);
  });

  it('commits a call whose answer it replaces by an error, and logs the error it sent', async () => {
    const number = sharedNumber();
    emu.setBehaviour('twilio', { fault: { type: 'commit_then_error', status: 502 }, faultOn: ['purchase'] });
    await createOrderingFromEnv(twilioProvider, emu.env()).purchase(number, purchaseCtx());
    expect(emu.requests('twilio').map((r) => [r.operation, r.outcome, r.status])).toEqual([['purchase', 'commit_then_error', 502]]);
    expect(emu.owned('twilio').map((o) => o.e164)).toEqual([number]);
  });

  it('logs the status a lost answer would have had', async () => {
    const number = sharedNumber();
    emu.setBehaviour('twilio', { fault: { type: 'commit_then_reset' }, faultOn: ['purchase'] });
    expect(await createOrderingFromEnv(twilioProvider, emu.env()).purchase(number, purchaseCtx())).toMatchObject({ state: 'unknown' });
    expect(emu.requests('twilio').map((r) => [r.operation, r.outcome, r.status])).toEqual([['purchase', 'commit_then_reset', 201]]);
  });
});

describe('request logs without credentials', () => {
  it('keeps a fingerprint of the Authorization header, the Basic user readable', async () => {
    await createOrderingFromEnv(twilioProvider, emu.env()).purchase(sharedNumber(), purchaseCtx());
    const [req] = emu.requests('twilio');
    expect(req.headers.authorization).toBe(redactAuthorization(TWILIO_BASIC));
    const decoded = Buffer.from(String(req.headers.authorization).slice(6), 'base64').toString();
    expect(decoded).toBe(`${TWILIO.user}:${redactCredential(TWILIO.password)}`);
  });

  it('redacts secret query parameters, form fields, JSON members and tokens, in process and over the control API', async () => {
    const vonage = vonageEmulator.defaultCredentials;
    const sinch = sinchEmulator.defaultCredentials;
    // Vonage's older scheme puts the secret in the query.
    await fetch(`${emu.url}/vonage/number/search?api_key=${vonage.apiKey}&api_secret=${vonage.apiSecret}&country=US`);
    // An OAuth token request with the secret in the form, and one bearer token.
    const token = await jsonOf(
      await fetch(`${emu.url}/sinch/auth/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${sinch.keyId}&client_secret=${sinch.keySecret}`,
      }),
    );
    await fetch(`${emu.url}/sinch/v1/projects/${sinch.projectId}/availableNumbers?regionCode=US&type=LOCAL`, {
      headers: { authorization: `Bearer ${token.access_token}`, 'x-api-key': 'side-channel-key' },
    });
    await fetch(`${emu.url}/twilio/2010-04-01/Accounts/${TWILIO.user}/IncomingPhoneNumbers.json`, {
      method: 'POST',
      headers: { authorization: TWILIO_BASIC, 'content-type': 'application/json' },
      body: JSON.stringify({ nested: { auth_token: 'json-secret-value' } }),
    });

    const [search] = emu.requests('vonage');
    expect(search.rawQuery).toBe(`api_key=${vonage.apiKey}&api_secret=${redactCredential(vonage.apiSecret)}&country=US`);
    const [tokenRequest, numbers] = emu.requests('sinch');
    expect(tokenRequest.body).toBe(`grant_type=client_credentials&client_id=${sinch.keyId}&client_secret=${redactCredential(sinch.keySecret)}`);
    expect(numbers.headers['x-api-key']).toBe(redactCredential('side-channel-key'));
    expect(JSON.parse(emu.requests('twilio')[0].body)).toEqual({ nested: { auth_token: redactCredential('json-secret-value') } });

    const served = JSON.stringify(
      await Promise.all(['vonage', 'sinch', 'twilio'].map(async (c) => jsonOf(await control(`/carriers/${c}/requests`)))),
    );
    for (const secret of [vonage.apiSecret, sinch.keySecret, token.access_token, TWILIO.password, TWILIO_BASIC.slice(6), 'side-channel-key', 'json-secret-value']) {
      expect(served).not.toContain(secret);
    }
    expect(served).toContain(vonage.apiKey);
  });
});
