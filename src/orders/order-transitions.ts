import type { CarrierOrderState, OrderError } from '../domain/number-ordering';
import type { OrderChange, OrderRecord } from '../ledger/order-ledger';

/** How long the reconciler waits before looking at an order again: doubling from baseMs up to maxMs. */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 60_000 };

/** The wait before check number `checks` (0: the first), with ±20% jitter so instances do not move in step. */
export function delayBefore(checks: number, backoff: Backoff): number {
  const ms = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(checks, 30));
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}

/** What the orders service and the reconciler know of an order before a carrier answer changes it. */
export type Before = Pick<OrderRecord, 'status' | 'work' | 'checks' | 'error'>;

/**
 * The change a carrier's answer makes, the one rule for the orders service (after the purchase) and the
 * reconciler (after status() or reconcile()):
 * - completed and failed end the order;
 * - pending and action_required are followed with status(), the backoff growing while they stay so;
 * - unknown while following (the status call itself failed) changes nothing but the next check; unknown after a
 *   purchase or a reconciliation is reconciled again, never purchased again.
 */
export function changeFor(state: CarrierOrderState, before: Before, backoff: Backoff): OrderChange {
  const next = (work: 'follow' | 'reconcile') => {
    const same = before.work === work;
    return { work, checks: same ? ('increment' as const) : ('reset' as const), nextCheckInMs: delayBefore(same ? before.checks + 1 : 0, backoff) };
  };
  switch (state.state) {
    case 'completed':
      return { status: 'completed', ...(state.providerOrderId !== undefined ? { providerOrderId: state.providerOrderId } : {}), error: null, work: null, checks: 'reset' };
    case 'failed':
      return { status: 'failed', error: state.error, work: null, checks: 'reset' };
    case 'pending':
      return { status: 'pending', providerOrderId: state.providerOrderId, error: null, ...next('follow') };
    case 'action_required':
      return { status: 'action_required', ...(state.providerOrderId !== undefined ? { providerOrderId: state.providerOrderId } : {}), error: state.error, ...next('follow') };
    case 'unknown':
      if (before.work === 'follow') return { status: before.status, error: before.error ?? null, ...next('follow') };
      return { status: 'unknown', error: null, ...next('reconcile') };
    default: {
      const never: never = state;
      return never;
    }
  }
}

/** The carrier kept finding no trace of a purchase whose answer was lost, for the whole grace: it did not happen. */
export function noRecordError(provider: string, graceSeconds: number): OrderError {
  return {
    code: 'carrier_error',
    message: `The carrier has no record of this purchase; nothing was bought (${provider} found neither the number on the account nor an order of ours for ${graceSeconds} s after the answer was lost).`,
    fix: 'Search again and place a new order, with a new Idempotency-Key.',
  };
}

/** ORDER_GIVE_UP_SECONDS passed before the carrier finished the order. */
export function gaveUpError(order: OrderRecord, giveUpSeconds: number): OrderError {
  const carrierOrder = order.providerOrderId !== undefined ? ` (carrier order ${order.providerOrderId})` : '';
  if (order.status === 'unknown' || order.work === 'purchase') {
    return {
      code: 'carrier_error',
      message: `The outcome of the purchase at ${order.provider} could not be established within ${giveUpSeconds} s (ORDER_GIVE_UP_SECONDS): the carrier could not be asked, or kept answering without a verdict.`,
      fix: `Look for ${order.phoneNumber} on the ${order.provider} account: release it there if it was bought, then search and order again.`,
    };
  }
  const waiting = order.status === 'action_required' && order.error ? ` It was waiting for: ${order.error.message}` : '';
  return {
    code: 'carrier_error',
    message: `${order.provider} had not finished the order${carrierOrder} after ${giveUpSeconds} s (ORDER_GIVE_UP_SECONDS); it is no longer followed.${waiting}`.slice(0, 500),
    fix: `Check the order${carrierOrder} in the ${order.provider} portal: cancel it there if it is still open (it may still complete and be billed), then search and order again.`,
  };
}
