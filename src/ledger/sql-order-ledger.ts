import type { OrderError } from '../domain/number-ordering';
import type { OrderStatus } from '../domain/order';
import type { ChangeGuard, NewOrder, OrderChange, OrderLedger, OrderPage, OrderRecord, OrderWork, PlaceResult } from './order-ledger';
import { type SqlClient, uniqueViolation } from './sql-client';

/** The columns read back, with the paging key as text (int8 reads differently from pg and PGlite). */
const COLUMNS = `id::text AS id, seq::text AS seq, client, idempotency_key, request_hash, phone_number, provider, status,
  provider_order_id, error, tracking_id, created_at, updated_at, completed_at, work, checks, unknown_since, give_up_at, lease_owner`;

interface Row {
  id: string;
  seq: string;
  client: string;
  idempotency_key: string;
  request_hash: string;
  phone_number: string;
  provider: string;
  status: OrderStatus;
  provider_order_id: string | null;
  error: OrderError | string | null;
  tracking_id: string;
  created_at: Date | string;
  updated_at: Date | string;
  completed_at: Date | string | null;
  work: OrderWork | null;
  checks: number;
  unknown_since: Date | string | null;
  give_up_at: Date | string;
  lease_owner: string | null;
}

const HOLDER_INDEX = 'orders_one_holder_per_number';
const IDEMPOTENCY = 'orders_idempotency';
/** Milliseconds as an interval, the same way in PostgreSQL and PGlite. */
const ms = (param: string) => `(${param}::double precision * interval '1 millisecond')`;

/** The ledger in SQL: one implementation for PostgreSQL and PGlite, which run the same statements. */
export class SqlOrderLedger implements OrderLedger {
  constructor(private readonly db: SqlClient) {}

  async place(order: NewOrder, owner: string, leaseMs: number): Promise<PlaceResult> {
    try {
      const { rows } = await this.db.query<Row>(
        `INSERT INTO orders (id, client, idempotency_key, request_hash, phone_number, provider, status, tracking_id, give_up_at,
                             work, next_check_at, lease_owner, lease_until)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, now() + ($8::double precision * interval '1 second'),
                 'purchase', now() + ${ms('$10')}, $9, now() + ${ms('$10')})
         ON CONFLICT ON CONSTRAINT ${IDEMPOTENCY} DO NOTHING
         RETURNING ${COLUMNS}`,
        [order.id, order.client, order.idempotencyKey, order.requestHash, order.phoneNumber, order.provider, order.trackingId, order.giveUpSeconds, owner, leaseMs],
      );
      if (rows[0]) return { kind: 'placed', order: toRecord(rows[0]) };
    } catch (e) {
      if (uniqueViolation(e) === HOLDER_INDEX) return { kind: 'number_held' };
      throw e;
    }
    return this.existing(order);
  }

  async placeFailed(order: NewOrder, error: OrderError): Promise<Exclude<PlaceResult, { kind: 'number_held' }>> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO orders (id, client, idempotency_key, request_hash, phone_number, provider, status, error, tracking_id, give_up_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'failed', $7::jsonb, $8, now())
       ON CONFLICT ON CONSTRAINT ${IDEMPOTENCY} DO NOTHING
       RETURNING ${COLUMNS}`,
      [order.id, order.client, order.idempotencyKey, order.requestHash, order.phoneNumber, order.provider, JSON.stringify(error), order.trackingId],
    );
    return rows[0] ? { kind: 'placed', order: toRecord(rows[0]) } : this.existing(order);
  }

  private async existing(order: NewOrder): Promise<{ kind: 'existing'; order: OrderRecord }> {
    const found = await this.findByKey(order.client, order.idempotencyKey);
    // The conflicting row cannot vanish (orders are never deleted).
    if (!found) throw new Error(`order with idempotency key of ${order.client} conflicted but was not found`);
    return { kind: 'existing', order: found };
  }

  async findByKey(client: string, idempotencyKey: string): Promise<OrderRecord | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM orders WHERE client = $1 AND idempotency_key = $2`, [client, idempotencyKey]);
    return rows[0] && toRecord(rows[0]);
  }

  async get(client: string, id: string): Promise<OrderRecord | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM orders WHERE client = $1 AND id = $2::uuid`, [client, id]);
    return rows[0] && toRecord(rows[0]);
  }

  async list(client: string, options: { status?: OrderStatus; limit: number; after?: string }): Promise<OrderPage> {
    const params: unknown[] = [client, options.limit + 1];
    let where = 'client = $1';
    if (options.status !== undefined) {
      params.push(options.status);
      where += ` AND status = $${params.length}`;
    }
    if (options.after !== undefined) {
      params.push(options.after);
      where += ` AND seq < $${params.length}::bigint`;
    }
    // orders.seq: the column (a bigint), not the text it is read back as under the same name.
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM orders WHERE ${where} ORDER BY orders.seq DESC LIMIT $2`, params);
    const page = rows.slice(0, options.limit);
    return { orders: page.map(toRecord), ...(rows.length > options.limit ? { next: page[page.length - 1].seq } : {}) };
  }

  async change(id: string, change: OrderChange, guard: ChangeGuard): Promise<OrderRecord | undefined> {
    const params: unknown[] = [
      id,
      change.status,
      change.providerOrderId ?? null,
      change.error === null ? null : JSON.stringify(change.error),
      change.work,
      change.nextCheckInMs ?? 0,
    ];
    const guardSql =
      guard.by === 'purchaser'
        ? `work IN ('purchase', 'reconcile')`
        : `lease_owner = $${params.push(guard.owner)}`;
    const { rows } = await this.db.query<Row>(
      `UPDATE orders SET
         status = $2,
         provider_order_id = COALESCE($3, provider_order_id),
         error = $4::jsonb,
         work = $5,
         next_check_at = CASE WHEN $5::text IS NULL THEN NULL ELSE now() + ${ms('$6')} END,
         checks = ${change.checks === 'reset' ? '0' : 'checks + 1'},
         unknown_since = CASE WHEN $2 = 'unknown' THEN COALESCE(unknown_since, now()) ELSE NULL END,
         completed_at = CASE WHEN $2 = 'completed' THEN COALESCE(completed_at, now()) ELSE completed_at END,
         lease_owner = NULL,
         lease_until = NULL,
         updated_at = now()
       WHERE id = $1::uuid AND status NOT IN ('completed', 'failed') AND ${guardSql}
       RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0] && toRecord(rows[0]);
  }

  async claimDue(owner: string, leaseMs: number, limit: number): Promise<OrderRecord[]> {
    const { rows } = await this.db.query<Row>(
      `UPDATE orders SET lease_owner = $1, lease_until = now() + ${ms('$2')}
       WHERE id IN (
         SELECT id FROM orders
         WHERE work IS NOT NULL AND next_check_at <= now() AND (lease_until IS NULL OR lease_until <= now())
         ORDER BY next_check_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [owner, leaseMs, limit],
    );
    return rows.map(toRecord);
  }

  async releaseLeases(owner: string): Promise<void> {
    // A purchase in flight keeps its lease: its row must not be reconciled while the answer may still come.
    await this.db.query(`UPDATE orders SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND work <> 'purchase'`, [owner]);
  }

  async heldNumbers(completedWithinMs: number): Promise<string[]> {
    const { rows } = await this.db.query<{ phone_number: string }>(
      `SELECT phone_number FROM orders
       WHERE status <> 'failed' AND (status <> 'completed' OR completed_at > now() - ${ms('$1')})`,
      [completedWithinMs],
    );
    return rows.map((r) => r.phone_number);
  }
}

function date(v: Date | string): Date {
  return v instanceof Date ? v : new Date(v);
}

function toRecord(r: Row): OrderRecord {
  const error = typeof r.error === 'string' ? (JSON.parse(r.error) as OrderError) : r.error;
  return {
    id: r.id,
    client: r.client,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    phoneNumber: r.phone_number,
    provider: r.provider,
    status: r.status,
    ...(r.provider_order_id !== null ? { providerOrderId: r.provider_order_id } : {}),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    ...(r.completed_at !== null ? { completedAt: date(r.completed_at) } : {}),
    ...(error !== null ? { error } : {}),
    trackingId: r.tracking_id,
    ...(r.work !== null ? { work: r.work } : {}),
    checks: Number(r.checks),
    ...(r.unknown_since !== null ? { unknownSince: date(r.unknown_since) } : {}),
    giveUpAt: date(r.give_up_at),
    ...(r.lease_owner !== null ? { leaseOwner: r.lease_owner } : {}),
  };
}
