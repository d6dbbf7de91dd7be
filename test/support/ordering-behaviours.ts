import type { Fault } from '../../emulators/core/behaviour';
import type { EmulatorServer } from '../../emulators/core/server';
import type { CarrierOrderState, NumberOrdering } from '../../src/domain/number-ordering';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { ProviderDefinition } from '../../src/providers/provider-definition';
import type { SearchQuery } from '../../src/domain/search-query';
import { createOrderingFromEnv, callCtx, placed, purchaseCtx, settled } from './ordering-under-test';
import { ctx, query } from './provider-under-test';

export interface OrderingUnderTest {
  emu: EmulatorServer;
  ordering: NumberOrdering;
  /** The carrier's search adapter, on the same emulator. */
  search: NumberProvider;
}

export interface CarrierOrderingFacts {
  carrier: string;
  definition: ProviderDefinition<any>;
  /** A search this carrier answers with numbers it sells. */
  query: Partial<SearchQuery>;
  /** Values that must never appear in an outcome (the emulator's secrets). */
  secrets: string[];
}

/**
 * What buying must do at every carrier, whatever its wire format: buy a searched number once, never send a
 * purchase twice, turn a lost answer into `unknown` and then find the truth with reconcile(), and map auth,
 * rate limits and server errors. Faults are scripted on the purchase call only, so searches and look-ups
 * around it still work.
 */
export function itBuysExactlyOnce(facts: CarrierOrderingFacts, get: () => OrderingUnderTest): void {
  const { carrier } = facts;
  const purchaseRequests = (emu: EmulatorServer) => emu.requests(carrier).filter((r) => r.operation === 'purchase');
  const searched = async (t: OrderingUnderTest, index = 0) => {
    const found = await t.search.search(query(facts.query), ctx());
    expect(found.length).toBeGreaterThan(index);
    return found[index].phoneNumber;
  };
  const noSecretIn = (...outcomes: unknown[]) => {
    const text = JSON.stringify(outcomes);
    for (const s of facts.secrets) expect(text).not.toContain(s);
  };

  it('buys a number its search offered, once: on the account, out of every search, one purchase seen', async () => {
    const t = get();
    const number = await searched(t);
    const c = purchaseCtx();
    const bought = await t.ordering.purchase(number, c);
    expect(['completed', 'pending']).toContain(bought.state);
    expect(await settled(t.ordering, placed(number, c, bought))).toMatchObject({ state: 'completed' });
    expect(t.emu.purchases(carrier)).toEqual({ [number]: 1 });
    expect(t.emu.owned(carrier).map((o) => o.e164)).toEqual([number]);
    const again = await t.search.search(query(facts.query), ctx());
    expect(again.map((n) => n.phoneNumber)).not.toContain(number);
    expect(await t.ordering.reconcile(placed(number, c, bought), callCtx())).toMatchObject({ state: expect.stringMatching(/^(completed|pending)$/) });
  });

  it.each([
    ['the connection is destroyed', { type: 'commit_then_reset' }],
    ['a 502 comes back', { type: 'commit_then_error', status: 502 }],
    ['a 500 comes back', { type: 'commit_then_error', status: 500 }],
    ['no answer comes before the deadline', { type: 'commit_then_hang' }],
  ] as [string, Fault][])('when the carrier commits and then %s: unknown, and reconcile finds the one purchase', async (_label, fault) => {
    const t = get();
    const number = await searched(t);
    t.emu.setBehaviour(carrier, { fault, faultOn: ['purchase'] });
    const c = purchaseCtx(AbortSignal.timeout(fault.type === 'commit_then_hang' ? 800 : 10_000));
    const lost = await t.ordering.purchase(number, c);
    expect(lost).toEqual({ state: 'unknown', reason: expect.any(String) });
    noSecretIn(lost);
    const found = await t.ordering.reconcile(placed(number, c), callCtx());
    expect(found).not.toBe('not_found');
    const state = found as CarrierOrderState;
    expect(['completed', 'pending']).toContain(state.state);
    expect(await settled(t.ordering, placed(number, c, state))).toMatchObject({ state: 'completed' });
    // The carrier saw exactly one purchase: the adapter neither retried nor replayed it.
    expect(t.emu.purchases(carrier)).toEqual({ [number]: 1 });
    expect(purchaseRequests(t.emu)).toHaveLength(1);
  });

  it('sends a purchase once even when the connection is reset before the carrier acts; reconcile: not_found', async () => {
    const t = get();
    const number = await searched(t);
    t.emu.setBehaviour(carrier, { fault: { type: 'reset' }, faultOn: ['purchase'] });
    const c = purchaseCtx();
    expect(await t.ordering.purchase(number, c)).toMatchObject({ state: 'unknown' });
    expect(purchaseRequests(t.emu)).toHaveLength(1);
    expect(await t.ordering.reconcile(placed(number, c), callCtx())).toBe('not_found');
    expect(t.emu.purchases(carrier)).toEqual({});
  });

  it('answers unknown to a 500 before the carrier acts, and reconcile then says not_found', async () => {
    const t = get();
    const number = await searched(t);
    t.emu.setBehaviour(carrier, { fault: { type: 'error', status: 500 }, faultOn: ['purchase'] });
    const c = purchaseCtx();
    expect(await t.ordering.purchase(number, c)).toMatchObject({ state: 'unknown' });
    expect(await t.ordering.reconcile(placed(number, c), callCtx())).toBe('not_found');
  });

  it('answers unknown to an unreadable success (garbage, truncated)', async () => {
    const t = get();
    const number = await searched(t);
    for (const type of ['garbage', 'truncated'] as const) {
      t.emu.setBehaviour(carrier, { fault: { type }, faultOn: ['purchase'] });
      expect(await t.ordering.purchase(number, purchaseCtx())).toMatchObject({ state: 'unknown' });
    }
  });

  it('reconciles a number it never bought as not_found', async () => {
    const t = get();
    const number = await searched(t, 1);
    expect(await t.ordering.reconcile({ phoneNumber: number, orderId: purchaseCtx().orderId }, callCtx())).toBe('not_found');
  });

  it('maps refused credentials to auth_failed, and a refused look-up to unknown (never not_found)', async () => {
    const t = get();
    const number = await searched(t);
    const env = t.emu.env();
    const wrong = createOrderingFromEnv(facts.definition, { ...env, [facts.definition.secretEnv[0]]: 'not-the-secret-0000' });
    const c = purchaseCtx();
    const refused = await wrong.purchase(number, c);
    expect(refused).toMatchObject({ state: 'failed', error: { code: 'auth_failed', fix: expect.stringContaining(facts.definition.secretEnv[0]) } });
    const lookup = await wrong.reconcile(placed(number, c), callCtx());
    expect(lookup).toMatchObject({ state: 'unknown' });
    noSecretIn(refused, lookup);
    expect(t.emu.purchases(carrier)).toEqual({});
  });

  it('maps the carrier rate limit on a purchase to rate_limited with its wait', async () => {
    const t = get();
    const number = await searched(t);
    t.emu.setBehaviour(carrier, { fault: { type: 'rate_limit', retryAfterSeconds: 7 }, faultOn: ['purchase'] });
    const limited = await t.ordering.purchase(number, purchaseCtx());
    expect(limited).toMatchObject({ state: 'failed', error: { code: 'rate_limited' } });
    const wait = limited.state === 'failed' ? limited.error.retryAfterSeconds : undefined;
    // Bandwidth sends the reset as an epoch second: a second may pass between its clock and ours.
    expect(wait).toBeGreaterThanOrEqual(6);
    expect(wait).toBeLessThanOrEqual(7);
  });

  it('keeps faults scoped to ordering away from searches', async () => {
    const t = get();
    t.emu.setBehaviour(carrier, { fault: { type: 'error', status: 500 }, faultOn: ['ordering'] });
    expect((await t.search.search(query(facts.query), ctx())).length).toBeGreaterThan(0);
    expect(await t.ordering.reconcile({ phoneNumber: '+14155550100', orderId: 'o-1' }, callCtx())).toMatchObject({ state: 'unknown' });
  });

  it('refuses a number that is not E.164 without calling the carrier', async () => {
    const t = get();
    for (const bad of ['4155550123', '+1 415 555 0123', '', '+0123']) {
      expect(await t.ordering.purchase(bad, purchaseCtx())).toMatchObject({ state: 'failed', error: { code: 'invalid_number' } });
    }
    expect(purchaseRequests(t.emu)).toHaveLength(0);
  });
}
