/**
 * Buying one number, exactly once, from the carrier whose search offered it: the contract between each
 * carrier's ordering adapter and the orders service. The vocabulary is closed: every carrier answer, error
 * and transport failure is translated into one of these states. Carrier facts: docs/carriers/ordering.md.
 */

/** Why a carrier refused (or could not finish) a purchase, in the contract's vocabulary (ordering.md §8). */
export const ORDER_ERROR_CODES = [
  'number_unavailable',
  'already_owned',
  'insufficient_funds',
  'regulatory_requirements',
  'invalid_number',
  'account_restricted',
  'auth_failed',
  'rate_limited',
  'invalid_request',
  'carrier_error',
] as const;
export type OrderErrorCode = (typeof ORDER_ERROR_CODES)[number];

export interface OrderError {
  readonly code: OrderErrorCode;
  /** What happened, in plain words with the carrier's own text; never a credential. */
  readonly message: string;
  /** The carrier's own code, as a string (Twilio 21422, Bandwidth 5005, Telnyx 10009). */
  readonly providerCode?: string;
  /** What an operator can do about it ("fund the account", "set the carrier's site id"). */
  readonly fix?: string;
  /** rate_limited: the seconds the carrier asked us to wait, when it said. */
  readonly retryAfterSeconds?: number;
}

/** The carrier holds the number for this account. */
export interface CompletedOrder {
  readonly state: 'completed';
  /** The carrier's order id or number resource id (Telnyx number order, Twilio PN sid, Bandwidth order). */
  readonly providerOrderId?: string;
}

/** Accepted, not finished: an asynchronous order (Telnyx number order, Bandwidth order) to follow with status(). */
export interface PendingOrder {
  readonly state: 'pending';
  readonly providerOrderId: string;
}

/** Accepted, waiting on documents or regulatory requirements that only a person can provide. */
export interface ActionRequiredOrder {
  readonly state: 'action_required';
  readonly providerOrderId?: string;
  /** What is needed (code regulatory_requirements, usually). */
  readonly error: OrderError;
}

/** The carrier said no, or the order ended in failure: nothing was bought. */
export interface FailedOrder {
  readonly state: 'failed';
  readonly error: OrderError;
}

/**
 * The outcome cannot be known from this answer (timeout, connection reset, 5xx, unreadable body): the carrier
 * may or may not have acted. Never retry a purchase in this state: reconcile() first.
 */
export interface UnknownOrder {
  readonly state: 'unknown';
  readonly reason: string;
}

export type CarrierOrderState = CompletedOrder | PendingOrder | ActionRequiredOrder | FailedOrder | UnknownOrder;

/** What release() resolves to: released (the compensation path is done), or why not. */
export type ReleaseOutcome =
  | {
      readonly state: 'released';
      /** The carrier had no such number on the account (already released, or never completed). */
      readonly alreadyGone?: boolean;
      /** What the carrier does after the release (a hold period, an asynchronous disconnect order). */
      readonly note?: string;
    }
  | FailedOrder
  | UnknownOrder;

export interface OrderCallContext {
  /** Aborted when the call's budget runs out; the adapter then answers `unknown` (a purchase may have landed). */
  readonly signal: AbortSignal;
  readonly trackingId: string;
  /** When the call's budget ends (Date.now() milliseconds). */
  readonly deadlineAt?: number;
}

export interface PurchaseContext extends OrderCallContext {
  /**
   * Our order id. Where the carrier takes a reference, the order is tagged with it (Telnyx customer_reference,
   * Bandwidth CustomerOrderId), so that reconcile() can find the carrier's order even when its answer was lost.
   */
  readonly orderId: string;
}

/** An order as the orders service remembers it. */
export interface PlacedOrder {
  /** E.164 with '+'. */
  readonly phoneNumber: string;
  /** What purchase() or status() returned as providerOrderId, if anything. */
  readonly providerOrderId?: string;
  readonly orderId: string;
}

/**
 * Buying at one carrier. One instance per carrier, stateless after construction, built from the carrier's
 * configuration like its search adapter. No method rejects for a carrier outcome: a rejection is a bug.
 */
export interface NumberOrdering {
  readonly provider: string;
  /**
   * One purchase request, sent once: never retried, never replayed on another connection. Any answer that
   * does not settle the outcome is `unknown`.
   */
  purchase(phoneNumber: string, ctx: PurchaseContext): Promise<CarrierOrderState>;
  /** The current state of an order (follows asynchronous orders; for synchronous carriers, a look-up). */
  status(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState>;
  /**
   * After an `unknown` outcome: looks the number up among the account's numbers and the carrier's orders (by
   * our reference where the carrier keeps one). 'not_found': the carrier has no trace of the purchase.
   */
  reconcile(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'>;
  /** Gives the number back (compensation). Releasing a number the account does not hold is `released`. */
  release(order: PlacedOrder, ctx: OrderCallContext): Promise<ReleaseOutcome>;
}

/** Whether a configured carrier can order, and if not, why (e.g. Bandwidth without the site id its orders need). */
export type OrderingSetup = { readonly available: true; readonly ordering: NumberOrdering } | { readonly available: false; readonly reason: string };
