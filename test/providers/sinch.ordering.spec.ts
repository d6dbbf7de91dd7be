import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { sinchEmulator } from '../../emulators/sinch/sinch.emulator';
import type { NumberOrdering } from '../../src/domain/number-ordering';
import type { NumberProvider } from '../../src/domain/number-provider';
import { sinchProvider } from '../../src/providers/sinch/sinch.provider';
import { itBuysExactlyOnce } from '../support/ordering-behaviours';
import { callCtx, createOrderingFromEnv, placed, purchaseCtx } from '../support/ordering-under-test';
import { createProviderFromEnv, ctx, jsonOf, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let ordering: NumberOrdering;
let search: NumberProvider;
const CREDS = sinchEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${CREDS.keyId}:${CREDS.keySecret}`).toString('base64')}`;
const PROJECT = `/v1/projects/${CREDS.projectId}`;
const QUERY = { countryCode: 'US', areaCode: '617', limit: 5 };

beforeAll(async () => {
  emu = new EmulatorServer([sinchEmulator]);
  await emu.listen();
  ordering = createOrderingFromEnv(sinchProvider, emu.env());
  search = createProviderFromEnv(sinchProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const firstSearched = async () => (await search.search(query(QUERY), ctx()))[0].phoneNumber;
const rent = (number: string, body: string, headers: Record<string, string> = { authorization: BASIC, 'content-type': 'application/json' }, project = PROJECT) =>
  fetch(`${emu.url}/sinch${project}/availableNumbers/${number}:rent`, { method: 'POST', body, headers });

itBuysExactlyOnce({ carrier: 'sinch', definition: sinchProvider, query: QUERY, secrets: [CREDS.keySecret, BASIC.slice(6)] }, () => ({ emu, ordering, search }));

describe('sinch ordering: wire requests', () => {
  it('rents with a bearer token and a JSON body on the number’s :rent path, looks it up and releases it', async () => {
    const fresh = createOrderingFromEnv(sinchProvider, emu.env());
    const number = await firstSearched();
    emu.clearRequests('sinch');
    const c = purchaseCtx();
    expect(await fresh.purchase(number, c)).toEqual({ state: 'completed' });
    expect(await fresh.reconcile(placed(number, c), callCtx())).toEqual({ state: 'completed' });
    expect(await fresh.release(placed(number, c), callCtx())).toEqual({ state: 'released', note: expect.stringMatching(/^Sinch keeps the number in the project until \d{4}-/) });
    const calls = emu.requests('sinch');
    expect(calls.map((r) => [r.operation, r.method, r.path, r.body, r.status])).toEqual([
      ['token', 'POST', '/auth/oauth2/token', 'grant_type=client_credentials', 200],
      ['purchase', 'POST', `${PROJECT}/availableNumbers/${number}:rent`, '{}', 200],
      ['lookup', 'GET', `${PROJECT}/activeNumbers/${number}`, '', 200],
      ['release', 'POST', `${PROJECT}/activeNumbers/${number}:release`, '', 200],
    ]);
    expect(calls[0].headers.authorization).toBe(redactAuthorization(BASIC));
    // One token for every call, kept as a fingerprint in the log.
    expect(new Set(calls.slice(1).map((r) => r.headers.authorization)).size).toBe(1);
    expect(calls[1].headers.authorization).toMatch(/^Bearer redacted:sha256:/);
    expect(calls[1].headers['content-type']).toBe('application/json');
  });

  it('gets the ActiveNumber from a rent, with nulls omitted, and accepts the number %2B-encoded too', async () => {
    const [a, b] = (await search.search(query(QUERY), ctx())).map((n) => n.phoneNumber);
    const active = await jsonOf(await rent(a, '{}'));
    expect(active).toMatchObject({ phoneNumber: a, projectId: CREDS.projectId, regionCode: 'US', type: 'LOCAL', paymentIntervalMonths: 1, nextChargeDate: expect.any(String) });
    expect(active).not.toHaveProperty('expireAt');
    expect((await rent(encodeURIComponent(b), '')).status).toBe(200);
    expect(emu.owned('sinch').map((o) => o.e164).sort()).toEqual([a, b].sort());
  });
});

describe('sinch ordering: what Sinch answers', () => {
  it('maps a second rent (404 NOT_FOUND AvailableNumber) to number_unavailable, two purchases seen', async () => {
    const number = await firstSearched();
    await ordering.purchase(number, purchaseCtx());
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', providerCode: 'NOT_FOUND' } });
    expect(emu.purchases('sinch')).toEqual({ [number]: 2 });
  });

  it('does not retry a rent refused with 401, drops the token, and the next order gets a fresh one', async () => {
    const fresh = createOrderingFromEnv(sinchProvider, emu.env());
    const number = await firstSearched();
    await fresh.reconcile({ phoneNumber: number, orderId: 'warm-up' }, callCtx());
    const revoked = emu.requests('sinch').filter((r) => r.operation === 'lookup').at(-1)!.headers.authorization!.slice('Bearer '.length);
    emu.setBehaviour('sinch', { options: { revokedTokens: [revoked] } });
    emu.clearRequests('sinch');
    expect(await fresh.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'auth_failed' } });
    expect(emu.requests('sinch').map((r) => [r.operation, r.status])).toEqual([['purchase', 401]]);
    expect(await fresh.purchase(number, purchaseCtx())).toEqual({ state: 'completed' });
    expect(emu.requests('sinch').map((r) => [r.operation, r.status])).toEqual([['purchase', 401], ['token', 200], ['purchase', 200]]);
  });

  it.each([
    [{ status: 400, message: 'Invalid phone number.' }, 'invalid_number'],
    [{ status: 400, message: 'Insufficient balance to rent the number.' }, 'insufficient_funds'],
    [{ status: 400, message: 'Supporting documents are required for this number.' }, 'regulatory_requirements'],
  ])('maps %j to %s', async (purchaseError, code) => {
    emu.setBehaviour('sinch', { options: { purchaseError } });
    expect(await ordering.purchase(await firstSearched(), purchaseCtx())).toMatchObject({ state: 'failed', error: { code, providerCode: 'INVALID_ARGUMENT' } });
  });

  it('keeps a released number in the project until its expireAt, then it is on sale again; a second release is already done', async () => {
    const number = await firstSearched();
    const c = purchaseCtx();
    await ordering.purchase(number, c);
    await ordering.release(placed(number, c), callCtx());
    expect(emu.owned('sinch')).toEqual([expect.objectContaining({ e164: number, expireAt: expect.any(Number) })]);
    expect(await ordering.reconcile(placed(number, c), callCtx())).toEqual({ state: 'completed' });
    // A second release answers the same ActiveNumber.
    expect(await ordering.release(placed(number, c), callCtx())).toMatchObject({ state: 'released' });

    emu.reset();
    emu.setBehaviour('sinch', { options: { expireAfterMs: 0 } });
    await ordering.purchase(number, c);
    await ordering.release(placed(number, c), callCtx());
    expect(await ordering.reconcile(placed(number, c), callCtx())).toBe('not_found');
    expect(emu.inventory('sinch').map((n) => n.e164)).toContain(number);
    expect(await ordering.release(placed(number, c), callCtx())).toEqual({ state: 'released', alreadyGone: true });
  });
});

describe('sinch emulator: rejects what Sinch rejects', () => {
  it('refuses a body that is not JSON, a bad voice type, another project, and a number that is not E.164', async () => {
    const number = await firstSearched();
    expect((await rent(number, 'smsConfiguration=1', { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
    const voice = await rent(number, JSON.stringify({ voiceConfiguration: { type: 'PIGEON' } }));
    expect([voice.status, (await jsonOf(voice)).error.status]).toEqual([400, 'INVALID_ARGUMENT']);
    const other = await rent(number, '{}', { authorization: BASIC, 'content-type': 'application/json' }, '/v1/projects/someone-else');
    expect([other.status, (await jsonOf(other)).error.status]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await rent(number.slice(1), '{}')).status).toBe(400);
    expect((await rent(number, '{}', { 'content-type': 'application/json' })).status).toBe(401);
    expect(emu.owned('sinch')).toEqual([]);
  });
});
