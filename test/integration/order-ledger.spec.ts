import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '../../src/ledger/migrate';
import type { NewOrder, OrderChange } from '../../src/ledger/order-ledger';
import type { SqlClient } from '../../src/ledger/sql-client';
import { SqlOrderLedger } from '../../src/ledger/sql-order-ledger';
import { backend, LEDGER_BACKENDS, type LedgerBackend } from '../support/ledger';

/**
 * The ledger against both databases it runs on: a PostgreSQL database of this file's own on the shared server,
 * and PGlite in this process. The same SQL, the same answers.
 */
describe.each(LEDGER_BACKENDS)('the orders ledger on %s', (name) => {
  let be: LedgerBackend;
  let db: SqlClient;
  let ledger: SqlOrderLedger;

  beforeAll(async () => {
    be = await backend(name, 'ledger');
    db = await be.open();
    await migrate(db);
    ledger = new SqlOrderLedger(db);
  });
  afterAll(async () => {
    await db.close();
    await be.cleanup();
  });

  let seq = 0;
  const number = () => `+1415555${String(1000 + ++seq).padStart(4, '0')}`;
  const draft = (over: Partial<NewOrder> = {}): NewOrder => ({
    id: randomUUID(),
    client: 'billing',
    idempotencyKey: `key-${randomUUID()}`,
    requestHash: 'h1',
    phoneNumber: number(),
    provider: 'telnyx',
    trackingId: 't1',
    giveUpSeconds: 86_400,
    ...over,
  });
  const failedWith = { code: 'number_unavailable' as const, message: 'taken', fix: 'search again' };

  describe('migrations', () => {
    it('are recorded once: a second run applies nothing', async () => {
      const { rows } = await db.query<{ version: string; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(loadMigrations().map((m) => ({ version: m.version, name: m.name })));
      expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: loadMigrations().map((m) => `${m.version}_${m.name}`) });
    });

    it('refuse to run over a migration whose file changed after it was applied', async () => {
      const [first] = loadMigrations();
      await expect(migrate(db, [{ ...first, sql: `${first.sql}\n-- edited`, checksum: 'other' }])).rejects.toThrow(/0001_orders changed after it was applied/);
    });

    it('refuse a database migrated by a newer build', async () => {
      await expect(migrate(db, [])).rejects.toThrow(/migrations this build does not know \(0001_orders\)/);
    });

    it('apply a new file in order, in a transaction: a failing one leaves nothing behind', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ng-migrations-'));
      try {
        for (const m of loadMigrations()) copyFileSync(join(MIGRATIONS_DIR, `${m.version}_${m.name}.sql`), join(dir, `${m.version}_${m.name}.sql`));
        writeFileSync(join(dir, '9001_half.sql'), 'CREATE TABLE half_done (x int);\nSELECT * FROM no_such_table;');
        await expect(migrate(db, loadMigrations(dir))).rejects.toThrow(/migration 9001_half failed: .*no_such_table/);
        const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('half_done')::text AS t`);
        expect(rows[0].t).toBeNull();
        rmSync(join(dir, '9001_half.sql'));
        writeFileSync(join(dir, '9002_extra.sql'), 'CREATE TABLE extra_done (x int);');
        expect((await migrate(db, loadMigrations(dir))).applied).toEqual(['9002_extra']);
        await db.exec(`DROP TABLE extra_done; DELETE FROM schema_migrations WHERE version = '9002'`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reject a file not named NNNN_name.sql', () => {
      const dir = mkdtempSync(join(tmpdir(), 'ng-migrations-'));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'orders.sql'), 'SELECT 1;');
      expect(() => loadMigrations(dir)).toThrow(/orders.sql is not named NNNN_name.sql/);
      rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('placing orders', () => {
    it('writes the order holding its number, its purchase leased to the instance placing it', async () => {
      const d = draft();
      const placed = await ledger.place(d, 'instance-a', 60_000);
      expect(placed).toEqual({
        kind: 'placed',
        order: expect.objectContaining({ id: d.id, client: 'billing', phoneNumber: d.phoneNumber, status: 'pending', work: 'purchase', leaseOwner: 'instance-a', checks: 0 }),
      });
      if (placed.kind !== 'placed') return;
      expect(placed.order.giveUpAt.getTime() - placed.order.createdAt.getTime()).toBeCloseTo(86_400_000, -3);
      expect(await ledger.heldNumbers(60_000)).toContain(d.phoneNumber);
    });

    it('answers the existing order for a repeated idempotency key, whatever the body', async () => {
      const d = draft();
      await ledger.place(d, 'a', 60_000);
      const again = await ledger.place({ ...d, id: randomUUID(), requestHash: 'h2', phoneNumber: number() }, 'a', 60_000);
      expect(again).toEqual({ kind: 'existing', order: expect.objectContaining({ id: d.id, requestHash: 'h1' }) });
      const failed = await ledger.placeFailed({ ...d, id: randomUUID() }, failedWith);
      expect(failed).toEqual({ kind: 'existing', order: expect.objectContaining({ id: d.id }) });
      // The same key of another client is another order.
      expect(await ledger.place({ ...d, id: randomUUID(), client: 'crm', phoneNumber: number() }, 'a', 60_000)).toMatchObject({ kind: 'placed' });
    });

    it('lets one order hold a number: a second one, of any client and key, is refused without a row', async () => {
      const d = draft();
      await ledger.place(d, 'a', 60_000);
      const other = draft({ phoneNumber: d.phoneNumber, client: 'crm' });
      expect(await ledger.place(other, 'b', 60_000)).toEqual({ kind: 'number_held' });
      expect(await ledger.findByKey('crm', other.idempotencyKey)).toBeUndefined();
      // Recorded as a failed order instead, it holds nothing.
      expect(await ledger.placeFailed(other, failedWith)).toMatchObject({ kind: 'placed', order: { status: 'failed', error: failedWith } });
    });

    it('holds the number under concurrent placements: exactly one wins', async () => {
      const phoneNumber = number();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => ledger.place(draft({ phoneNumber, client: `c${i}` }), `i${i}`, 60_000)));
      expect(results.filter((r) => r.kind === 'placed')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'number_held')).toHaveLength(7);
    });

    it('frees the number once the order failed', async () => {
      const d = draft();
      await ledger.place(d, 'a', 60_000);
      await ledger.change(d.id, { status: 'failed', error: failedWith, work: null, checks: 'reset' }, { by: 'purchaser' });
      expect(await ledger.heldNumbers(60_000)).not.toContain(d.phoneNumber);
      expect(await ledger.place(draft({ phoneNumber: d.phoneNumber }), 'a', 60_000)).toMatchObject({ kind: 'placed' });
    });
  });

  describe('changes', () => {
    const completed: OrderChange = { status: 'completed', providerOrderId: 'PN1', error: null, work: null, checks: 'reset' };

    it('records the purchaser outcome once; a finished order no longer changes', async () => {
      const d = draft();
      await ledger.place(d, 'a', 60_000);
      const done = await ledger.change(d.id, completed, { by: 'purchaser' });
      expect(done).toMatchObject({ status: 'completed', providerOrderId: 'PN1', completedAt: expect.any(Date) });
      expect(done?.work).toBeUndefined();
      expect(done?.leaseOwner).toBeUndefined();
      expect(await ledger.change(d.id, { ...completed, status: 'failed', error: failedWith }, { by: 'purchaser' })).toBeUndefined();
      expect(await ledger.get('billing', d.id)).toMatchObject({ status: 'completed' });
    });

    it('counts an unknown outcome from its first moment, and schedules its reconciliation', async () => {
      const d = draft();
      await ledger.place(d, 'a', 60_000);
      const lost = await ledger.change(d.id, { status: 'unknown', error: null, work: 'reconcile', nextCheckInMs: 0, checks: 'reset' }, { by: 'purchaser' });
      expect(lost).toMatchObject({ status: 'unknown', work: 'reconcile', unknownSince: expect.any(Date) });
      const since = lost!.unknownSince!.getTime();
      const claimed = await ledger.claimDue('r1', 30_000, 100);
      expect(claimed.map((o) => o.id)).toContain(d.id);
      const again = await ledger.change(d.id, { status: 'unknown', error: null, work: 'reconcile', nextCheckInMs: 0, checks: 'increment' }, { by: 'lease', owner: 'r1' });
      expect(again).toMatchObject({ checks: 1 });
      expect(again!.unknownSince!.getTime()).toBe(since);
    });

    it('lets only the lease holder change a claimed order', async () => {
      const d = draft();
      await ledger.place(d, 'a', 60_000);
      await ledger.change(d.id, { status: 'pending', providerOrderId: 'ord-1', error: null, work: 'follow', nextCheckInMs: 0, checks: 'reset' }, { by: 'purchaser' });
      const claimed = await ledger.claimDue('r1', 30_000, 100);
      expect(claimed.find((o) => o.id === d.id)).toMatchObject({ leaseOwner: 'r1', providerOrderId: 'ord-1' });
      expect(await ledger.change(d.id, completed, { by: 'lease', owner: 'r2' })).toBeUndefined();
      expect(await ledger.change(d.id, completed, { by: 'lease', owner: 'r1' })).toMatchObject({ status: 'completed', providerOrderId: 'PN1' });
    });
  });

  describe('the reconciler queue', () => {
    it('hands a purchase whose lease ended to the reconciler, never one still leased', async () => {
      const leased = draft();
      const expired = draft();
      await ledger.place(leased, 'a', 60_000);
      await ledger.place(expired, 'dead-instance', 0);
      const claimed = (await ledger.claimDue('r1', 30_000, 100)).map((o) => o.id);
      expect(claimed).toContain(expired.id);
      expect(claimed).not.toContain(leased.id);
      // Now leased to r1: nobody else claims it until that lease ends.
      expect((await ledger.claimDue('r2', 30_000, 100)).map((o) => o.id)).not.toContain(expired.id);
    });

    it('splits due work between instances claiming at once: every order to exactly one', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const d = draft();
        ids.push(d.id);
        await ledger.place(d, 'gone', 0);
      }
      const claims = await Promise.all(['x', 'y', 'z'].map((owner) => ledger.claimDue(owner, 30_000, 5)));
      const claimed = claims.flat().map((o) => o.id).filter((id) => ids.includes(id));
      expect(new Set(claimed).size).toBe(claimed.length);
      for (const batch of claims) expect(batch.length).toBeLessThanOrEqual(5);
      const rest = (await ledger.claimDue('w', 30_000, 100)).map((o) => o.id).filter((id) => ids.includes(id));
      expect([...claimed, ...rest].sort()).toEqual([...ids].sort());
    });

    it('gives back leases at shutdown, except on purchases in flight', async () => {
      const follow = draft();
      const inFlight = draft();
      await ledger.place(follow, 'a', 60_000);
      await ledger.change(follow.id, { status: 'pending', providerOrderId: 'o', error: null, work: 'follow', nextCheckInMs: 0, checks: 'reset' }, { by: 'purchaser' });
      await ledger.claimDue('leaving', 600_000, 100);
      await ledger.place(inFlight, 'leaving', 600_000);
      await ledger.releaseLeases('leaving');
      const reclaimed = (await ledger.claimDue('staying', 30_000, 100)).map((o) => o.id);
      expect(reclaimed).toContain(follow.id);
      expect(reclaimed).not.toContain(inFlight.id);
    });
  });

  describe('reading', () => {
    it('shows a client its own orders only', async () => {
      const d = draft({ client: 'owner' });
      await ledger.place(d, 'a', 60_000);
      expect(await ledger.get('owner', d.id)).toMatchObject({ id: d.id });
      expect(await ledger.get('someone-else', d.id)).toBeUndefined();
    });

    it('pages a client\'s orders newest first, filtered by status, until a last page without next', async () => {
      const client = `pager-${name}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const d = draft({ client });
        ids.unshift(d.id);
        await ledger.place(d, 'a', 60_000);
        if (i % 2 === 0) await ledger.change(d.id, { status: 'completed', error: null, work: null, checks: 'reset' }, { by: 'purchaser' });
      }
      const first = await ledger.list(client, { limit: 2 });
      expect(first.orders.map((o) => o.id)).toEqual(ids.slice(0, 2));
      const second = await ledger.list(client, { limit: 2, after: first.next });
      expect(second.orders.map((o) => o.id)).toEqual(ids.slice(2, 4));
      const last = await ledger.list(client, { limit: 2, after: second.next });
      expect(last.orders.map((o) => o.id)).toEqual(ids.slice(4));
      expect(last.next).toBeUndefined();
      const exact = await ledger.list(client, { limit: 5 });
      expect(exact.next).toBeUndefined();
      const completedOnly = await ledger.list(client, { status: 'completed', limit: 10 });
      expect(completedOnly.orders.map((o) => o.id)).toEqual([ids[0], ids[2], ids[4]]);
    });

    it('orders pages by position as a number, across a power of ten', async () => {
      const client = `many-${name}`;
      const ids: string[] = [];
      for (let i = 0; i < 23; i++) {
        const d = draft({ client });
        ids.unshift(d.id);
        await ledger.placeFailed(d, failedWith);
      }
      const seen: string[] = [];
      let page = await ledger.list(client, { limit: 4 });
      seen.push(...page.orders.map((o) => o.id));
      while (page.next !== undefined) {
        page = await ledger.list(client, { limit: 4, after: page.next });
        seen.push(...page.orders.map((o) => o.id));
      }
      expect(seen).toEqual(ids);
    });
  });
});

describe('migrations on PostgreSQL, several instances starting at once', () => {
  it('are applied by one of them under the advisory lock; the others find nothing left to do', async () => {
    const be = await backend('postgres', 'migrate_race');
    const clients = await Promise.all([be.open(), be.open(), be.open()]);
    try {
      const reports = await Promise.all(clients.map((c) => migrate(c)));
      const all = loadMigrations().map((m) => `${m.version}_${m.name}`);
      expect(reports.filter((r) => r.applied.length > 0)).toEqual([{ applied: all, alreadyApplied: [] }]);
      expect(reports.filter((r) => r.applied.length === 0)).toEqual([
        { applied: [], alreadyApplied: all },
        { applied: [], alreadyApplied: all },
      ]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await be.cleanup();
    }
  });
});
