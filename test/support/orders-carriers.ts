import { randomUUID } from 'node:crypto';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, startApp, type RunningApp } from './app';
import { backend, type LedgerBackend } from './ledger';
import { CARRIER_ORDER_FACTS, ordersApi, purchasesOf, searchedNumber, searchedNumbers, type CarrierOrderFacts, type OrdersApi } from './orders';

/**
 * Buying from each carrier end to end: the real app on a real port, the carrier's emulator over real HTTP, and
 * the ledger on `ledger` (a PostgreSQL database of the file's own, or PGlite in process). Each carrier gets an
 * app of its own with that carrier alone, so every number a search returns is that carrier's offer.
 */
export function describeOrdersAtEveryCarrier(ledger: 'postgres' | 'pglite'): void {
  let db: LedgerBackend;
  beforeAll(async () => {
    db = await backend(ledger, 'orders_e2e');
  });
  afterAll(async () => {
    await db.cleanup();
  });

  describe.each(CARRIER_ORDER_FACTS.map((f) => [f.name, f] as const))(`ordering from %s (ledger: ${ledger})`, (_name, facts: CarrierOrderFacts) => {
    let emu: EmulatorServer;
    let app: RunningApp;
    let api: OrdersApi;
    beforeAll(async () => {
      emu = await startEmulators({ carriers: [facts.name] });
      app = await startApp(baseEnv({ ...emu.env(), ...db.env, ORDER_CLIENTS: 'billing', ORDER_LIMIT_REQUESTS: '0', REQUEST_TIMEOUT_MS: '3000', CIRCUIT_BREAKER_THRESHOLD: '1000' }));
      api = ordersApi(app);
    });
    afterAll(async () => {
      await app?.close();
      await emu?.close();
    });
    beforeEach(() => {
      emu.reset();
      if (facts.slowOrders) emu.setBehaviour(facts.name, { options: facts.slowOrders });
    });

    const key = () => `e2e-${randomUUID()}`;

    it('buys a searched number: 201 with Location, completed (followed when the carrier is asynchronous), one purchase, gone from searches', async () => {
      const number = await searchedNumber(app, facts.query);
      const placed = await api.place({ phoneNumber: number }, key());
      expect(placed.status).toBe(201);
      expect(placed.headers.get('location')).toBe(`/numbers/orders/${placed.body.id}`);
      expect(placed.body).toMatchObject({ phoneNumber: number, provider: facts.name });
      expect(facts.asynchronous ? ['pending', 'action_required'] : ['completed']).toContain(placed.body.status);
      const done = await api.settled(placed.body.id);
      expect(done.body).toMatchObject({ id: placed.body.id, status: 'completed', completedAt: expect.any(String) });
      expect(done.body.error).toBeUndefined();
      expect(purchasesOf(emu, facts.name, number)).toBe(1);
      expect(emu.owned(facts.name).map((o) => o.e164)).toContain(number);
      expect(await searchedNumbers(app, facts.query)).not.toContain(number);
    });

    it('answers the same key and body with the same order (200), the carrier seeing one purchase', async () => {
      const number = await searchedNumber(app, facts.query);
      const k = key();
      const first = await api.place({ phoneNumber: number }, k);
      const again = await api.place({ phoneNumber: number }, k);
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.headers.get('location')).toBeNull();
      expect(again.body.id).toBe(first.body.id);
      await api.settled(first.body.id);
      const later = await api.place({ phoneNumber: number }, k);
      expect(later).toMatchObject({ status: 200, body: { id: first.body.id, status: 'completed' } });
      expect(purchasesOf(emu, facts.name, number)).toBe(1);
    });

    it('loses the purchase answer after the carrier committed: one purchase, completed after reconciliation', async () => {
      const number = await searchedNumber(app, facts.query);
      emu.setBehaviour(facts.name, { fault: { type: 'commit_then_reset' }, faultOn: ['purchase'] });
      const placed = await api.place({ phoneNumber: number }, key());
      expect(placed.status).toBe(201);
      expect(['completed', 'pending', 'action_required', 'unknown']).toContain(placed.body.status);
      const done = await api.settled(placed.body.id);
      expect(done.body.status).toBe('completed');
      expect(purchasesOf(emu, facts.name, number)).toBe(1);
      expect(emu.requests(facts.name).filter((r) => r.operation === 'purchase')).toHaveLength(1);
    });

    it('orders a number sold since the search: failed with number_unavailable and the carrier\'s code, never bought', async () => {
      const number = await searchedNumber(app, facts.query);
      emu.sellElsewhere(number);
      const placed = await api.place({ phoneNumber: number }, key());
      expect(placed.status).toBe(201);
      const done = await api.settled(placed.body.id);
      expect(done.body).toMatchObject({ status: 'failed', error: { code: 'number_unavailable', message: expect.any(String), fix: expect.any(String) } });
      expect(done.body.completedAt).toBeUndefined();
      expect(purchasesOf(emu, facts.name, number)).toBeLessThanOrEqual(1);
      expect(emu.owned(facts.name).map((o) => o.e164)).not.toContain(number);
    });
  });
}
