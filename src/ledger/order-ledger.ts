import type { OrderError } from '../domain/number-ordering';
import type { Order, OrderStatus } from '../domain/order';

/** What is left to do about an order (see migrations/0001_orders.sql). */
export type OrderWork = 'purchase' | 'follow' | 'reconcile';

/** An order as the ledger keeps it: the caller's view plus what idempotency and the reconciler need. */
export interface OrderRecord extends Order {
  readonly idempotencyKey: string;
  readonly requestHash: string;
  /** The tracking id of the request that placed it (on every log line about it). */
  readonly trackingId: string;
  readonly work?: OrderWork;
  /** How many times the reconciler looked at it since its last change of work (its backoff). */
  readonly checks: number;
  readonly unknownSince?: Date;
  readonly giveUpAt: Date;
  readonly leaseOwner?: string;
}

/** A new order, as the orders service places it. */
export interface NewOrder {
  readonly id: string;
  readonly client: string;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly phoneNumber: string;
  readonly provider: string;
  readonly trackingId: string;
  /** ORDER_GIVE_UP_SECONDS: how long it may stay unfinished. */
  readonly giveUpSeconds: number;
}

export type PlaceResult =
  /** The row is written, holds the number, and its purchase is `owner`'s to send until the lease ends. */
  | { readonly kind: 'placed'; readonly order: OrderRecord }
  /** The client already used this idempotency key: its order (the same request or a conflicting one). */
  | { readonly kind: 'existing'; readonly order: OrderRecord }
  /** Another order (any client, any instance) holds the number: nothing was written. */
  | { readonly kind: 'number_held' };

/** A change of state, as decided by the orders service or the reconciler. */
export interface OrderChange {
  readonly status: OrderStatus;
  /** Kept when absent. */
  readonly providerOrderId?: string;
  /** Replaced (null clears it). */
  readonly error: OrderError | null;
  /** What is left to do; null when nothing is. */
  readonly work: OrderWork | null;
  /** When the reconciler looks next (with work). */
  readonly nextCheckInMs?: number;
  /** The backoff count: back to 0 when the work changed, one more when the same work goes on. */
  readonly checks: 'reset' | 'increment';
}

/** Who may change an order: the instance that sent its purchase, or the one holding its lease. */
export type ChangeGuard = { readonly by: 'purchaser' } | { readonly by: 'lease'; readonly owner: string };

export interface OrderPage {
  readonly orders: OrderRecord[];
  /** Where the next page starts (absent on the last page). */
  readonly next?: string;
}

/**
 * The orders ledger: the one durable record of every order, shared by every instance. The orders service and
 * the reconciler use it through this interface only; which database runs it (PostgreSQL or PGlite) is decided
 * by the composition.
 */
export interface OrderLedger {
  /**
   * Writes a new order holding its number, its purchase leased to `owner` for `leaseMs` (past that, the
   * reconciler treats the row as an unknown outcome), before anything is sent to the carrier.
   */
  place(order: NewOrder, owner: string, leaseMs: number): Promise<PlaceResult>;
  /** Writes an order that failed before reaching the carrier (its number was held, its carrier cannot order). */
  placeFailed(order: NewOrder, error: OrderError): Promise<Exclude<PlaceResult, { kind: 'number_held' }>>;
  findByKey(client: string, idempotencyKey: string): Promise<OrderRecord | undefined>;
  /** One order of one client (another client's order is not found). */
  get(client: string, id: string): Promise<OrderRecord | undefined>;
  /** A client's orders, newest first, from `after` (a page's `next`). */
  list(client: string, options: { status?: OrderStatus; limit: number; after?: string }): Promise<OrderPage>;
  /** Applies a change if the guard holds (the order is not finished and is still the guard's); the order after it, or undefined. */
  change(id: string, change: OrderChange, guard: ChangeGuard): Promise<OrderRecord | undefined>;
  /** Claims up to `limit` orders whose work is due and whose lease has ended, leasing them to `owner`. */
  claimDue(owner: string, leaseMs: number, limit: number): Promise<OrderRecord[]>;
  /** Gives back the leases `owner` holds on orders it is not sending a purchase for (at shutdown). */
  releaseLeases(owner: string): Promise<void>;
  /** The numbers held by orders: unfinished ones, and ones completed within `completedWithinMs`. */
  heldNumbers(completedWithinMs: number): Promise<string[]>;
}

/** The injection token of the ledger the composition opened. */
export const ORDER_LEDGER = Symbol('ORDER_LEDGER');

/** The ledger where ordering is off (no ORDER_CLIENTS, no DATABASE_URL): no order exists, none can be placed. */
export const NO_LEDGER: OrderLedger = {
  place: off,
  placeFailed: off,
  findByKey: off,
  get: off,
  list: off,
  change: off,
  claimDue: async () => [],
  releaseLeases: async () => undefined,
  heldNumbers: async () => [],
};

function off(): never {
  throw new Error('ordering is off: no orders ledger was opened (ORDER_CLIENTS and DATABASE_URL are not set)');
}
