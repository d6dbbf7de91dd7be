import { redactAuthorization } from '../../emulators/core/redact';
import { EmulatorServer } from '../../emulators/core/server';
import { signalwireEmulator } from '../../emulators/signalwire/signalwire.emulator';
import type { NumberOrdering } from '../../src/domain/number-ordering';
import type { NumberProvider } from '../../src/domain/number-provider';
import { signalwireProvider } from '../../src/providers/signalwire/signalwire.provider';
import { itBuysExactlyOnce } from '../support/ordering-behaviours';
import { callCtx, createOrderingFromEnv, placed, purchaseCtx } from '../support/ordering-under-test';
import { createProviderFromEnv, ctx, jsonOf, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let ordering: NumberOrdering;
let search: NumberProvider;
const { user: PROJECT, password: TOKEN } = signalwireEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}`;
const LIST = `/api/laml/2010-04-01/Accounts/${PROJECT}/IncomingPhoneNumbers`;
const QUERY = { countryCode: 'US', areaCode: '206', limit: 5 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  emu = new EmulatorServer([signalwireEmulator]);
  await emu.listen();
  ordering = createOrderingFromEnv(signalwireProvider, emu.env());
  search = createProviderFromEnv(signalwireProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const firstSearched = async () => (await search.search(query(QUERY), ctx()))[0].phoneNumber;

itBuysExactlyOnce({ carrier: 'signalwire', definition: signalwireProvider, query: QUERY, secrets: [TOKEN, BASIC.slice(6)] }, () => ({ emu, ordering, search }));

describe('signalwire ordering (LaML IncomingPhoneNumbers, Twilio’s format)', () => {
  it('buys with a form POST on the path without .json, reads the 200 record and its UUID sid, and releases with DELETE', async () => {
    const number = await firstSearched();
    const c = purchaseCtx();
    const bought = await ordering.purchase(number, c);
    expect(bought).toEqual({ state: 'completed', providerOrderId: expect.stringMatching(UUID) });
    expect(await ordering.release(placed(number, c, bought), callCtx())).toEqual({ state: 'released' });
    const calls = emu.requests('signalwire').filter((r) => r.operation !== 'search');
    expect(calls.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', LIST, 200],
      ['DELETE', `${LIST}/${bought.state === 'completed' ? bought.providerOrderId : ''}`, 204],
    ]);
    expect(calls[0].body).toBe(`PhoneNumber=${encodeURIComponent(number)}`);
    expect(calls[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(calls[0].headers.authorization).toBe(redactAuthorization(BASIC));
    expect(emu.inventory('signalwire').map((n) => n.e164)).toContain(number);
  });

  it('maps a second purchase of an owned number (refused as 21422, a string code) to number_unavailable', async () => {
    const number = await firstSearched();
    await ordering.purchase(number, purchaseCtx());
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({
      state: 'failed',
      error: { code: 'number_unavailable', providerCode: '21422' },
    });
    expect(emu.purchases('signalwire')).toEqual({ [number]: 2 });
    expect(emu.owned('signalwire')).toHaveLength(1);
  });

  it('maps a 422 "Invalid Attribute" without detail (what SignalWire answered for an unavailable number) to number_unavailable', async () => {
    const number = await firstSearched();
    emu.setBehaviour('signalwire', { options: { purchaseError: { status: 422, code: 422, message: 'Invalid Attribute' } } });
    expect(await ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'number_unavailable', providerCode: '422' } });
  });

  it('looks a number up with ?PhoneNumber= on the list and keeps only the exact number', async () => {
    const [a, b, other] = (await search.search(query(QUERY), ctx())).map((n) => n.phoneNumber);
    const ca = purchaseCtx();
    const boughtA = await ordering.purchase(a, ca);
    const boughtB = await ordering.purchase(b, purchaseCtx());
    expect(boughtA).not.toEqual(boughtB);
    // A partial number matches several numbers at the carrier.
    const partial = await jsonOf(await fetch(`${emu.url}/signalwire${LIST}?PhoneNumber=1206`, { headers: { authorization: BASIC } }));
    expect(partial.incoming_phone_numbers.map((n: { phone_number: string }) => n.phone_number).sort()).toEqual([a, b].sort());
    expect(await ordering.reconcile(placed(a, ca), callCtx())).toEqual(boughtA);
    expect(await ordering.reconcile({ phoneNumber: other, orderId: 'x' }, callCtx())).toBe('not_found');
  });
});
