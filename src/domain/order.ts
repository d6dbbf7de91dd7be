import type { OrderError } from './number-ordering';

/**
 * An order as callers see it (contract/numbers-api.openapi.yaml, schema Order): one number bought from one
 * carrier, in one of five states. `unknown` is the state of an order whose carrier answer was lost (a timeout,
 * a reset, a 5xx): it is being reconciled against the carrier, and is never purchased a second time.
 */
export const ORDER_STATUSES = ['pending', 'action_required', 'completed', 'failed', 'unknown'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** States after which nothing more happens to an order. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['completed', 'failed'];

/**
 * Whether an order in this state holds its number: every state but `failed`. A number held by an order is out
 * of every search, and no second order may buy it (the ledger's unique partial index says the same).
 */
export function holdsNumber(status: OrderStatus): boolean {
  return status !== 'failed';
}

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export interface Order {
  /** Our id (a UUID), also the reference carriers that keep one are given (Telnyx customer_reference, Bandwidth CustomerOrderId). */
  readonly id: string;
  /** The client (API key name) that placed it: only that client sees it. */
  readonly client: string;
  /** E.164 with '+'. */
  readonly phoneNumber: string;
  readonly provider: string;
  readonly status: OrderStatus;
  readonly providerOrderId?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly completedAt?: Date;
  /** Why it failed, or what it waits for (action_required). */
  readonly error?: OrderError;
}
