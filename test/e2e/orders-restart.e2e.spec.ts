import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { TEST_KEY } from '../support/app';
import { backend, LEDGER_BACKENDS, type LedgerBackend } from '../support/ledger';
import { CARRIER_ORDER_FACTS, ordersApi, purchasesOf, searchedNumber } from '../support/orders';
import { eventually } from '../support/redis';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';

/**
 * A real service process killed (SIGKILL) while an order at every carrier is under way: the asynchronous
 * carriers' orders accepted and pending, the synchronous carriers' purchases sent and not yet answered. A new
 * process on the same ledger finishes every one of them (following the pending ones, reconciling the purchases
 * whose answers died with the old process): each order completed, each number bought once.
 */
describe.each(LEDGER_BACKENDS)('a service killed mid-order (ledger: %s)', (ledgerName) => {
  let emu: EmulatorServer;
  let db: LedgerBackend;
  let dir: string | undefined;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    emu = await startEmulators();
    dir = ledgerName === 'pglite' ? mkdtempSync(join(tmpdir(), 'ng-orders-restart-')) : undefined;
    db = await backend(ledgerName, 'orders_restart', dir);
  });
  afterAll(async () => {
    for (const p of processes) await p.kill();
    await emu.close();
    await db.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({
    ...emu.env(),
    ...db.env,
    API_KEYS: `t:${TEST_KEY}`,
    ORDER_CLIENTS: 't',
    CACHE_BYPASS_CLIENTS: 't',
    ORDER_LIMIT_REQUESTS: '0',
    REQUEST_TIMEOUT_MS: '2000',
    PROVIDER_TIMEOUT_MS: '1000',
    PROVIDER_MAX_RETRIES: '0',
    CIRCUIT_BREAKER_THRESHOLD: '1000',
  });

  it('finishes every order after a restart: completed, one purchase each', async () => {
    const first = await startServiceProcess(env());
    processes.push(first);
    const app = { url: first.url, authHeaders: { authorization: `Bearer ${TEST_KEY}` } };
    const numbers = new Map<string, string>();
    // One number per carrier, searched while the other carriers answer no search (so each is its carrier's offer).
    for (const facts of CARRIER_ORDER_FACTS) {
      for (const other of CARRIER_ORDER_FACTS) if (other.name !== facts.name) emu.setBehaviour(other.name, { fault: { type: 'error', status: 500 }, faultOn: ['search'] });
      emu.setBehaviour(facts.name, { fault: { type: 'none' } });
      numbers.set(facts.name, await searchedNumber(app, facts.query));
    }
    // Asynchronous carriers take their time; synchronous ones act on the purchase and never answer it.
    for (const facts of CARRIER_ORDER_FACTS) {
      emu.setBehaviour(facts.name, facts.asynchronous ? { fault: { type: 'none' }, options: { ...facts.slowOrders, orderDelayMs: 5000 } } : { fault: { type: 'commit_then_hang' }, faultOn: ['purchase'] });
    }
    const api = ordersApi(app);
    for (const facts of CARRIER_ORDER_FACTS.filter((f) => f.asynchronous)) {
      const placed = await api.place({ phoneNumber: numbers.get(facts.name) }, `restart-${randomUUID()}`);
      expect({ carrier: facts.name, status: placed.body.status }).toEqual({ carrier: facts.name, status: facts.name === 'plivo' ? 'action_required' : 'pending' });
    }
    const hanging = CARRIER_ORDER_FACTS.filter((f) => !f.asynchronous);
    const unanswered = hanging.map((facts) => api.place({ phoneNumber: numbers.get(facts.name) }, `restart-${randomUUID()}`).catch(() => 'connection lost'));
    const sent = () => hanging.every((f) => emu.requests(f.name).some((r) => r.operation === 'purchase'));
    expect(await eventually(sent, 200, 10)).toBe(true);
    await first.kill();
    expect(await Promise.all(unanswered)).toEqual(hanging.map(() => 'connection lost'));
    for (const facts of hanging) emu.setBehaviour(facts.name, { fault: { type: 'none' } });

    const second = await startServiceProcess(env());
    processes.push(second);
    const after = ordersApi({ url: second.url, authHeaders: app.authHeaders });
    const all = async () => (await after.list('?limit=100')).body.orders as { phoneNumber: string; provider: string; status: string }[];
    const finished = await eventually(async () => (await all()).length === 7 && (await all()).every((o) => o.status === 'completed' || o.status === 'failed'), 300, 200);
    const orders = await all();
    expect({ finished, orders: orders.map((o) => [o.provider, o.status]).sort() }).toEqual({
      finished: true,
      orders: CARRIER_ORDER_FACTS.map((f) => [f.name, 'completed']).sort(),
    });
    for (const facts of CARRIER_ORDER_FACTS) {
      const number = numbers.get(facts.name)!;
      expect({ carrier: facts.name, purchases: purchasesOf(emu, facts.name, number) }).toEqual({ carrier: facts.name, purchases: 1 });
      expect(orders.find((o) => o.phoneNumber === number)).toMatchObject({ provider: facts.name, status: 'completed' });
    }
    // The new process says what it did with the purchases the old one left unanswered (log lines reach stdout
    // within the logger's flush interval, so the line may arrive a moment after the orders finished).
    const said = () => second.output().includes('its purchase was sent by an instance that stopped before recording the answer');
    expect(await eventually(said, 20, 100)).toBe(true);
    await second.kill();
  }, 120_000);
});
