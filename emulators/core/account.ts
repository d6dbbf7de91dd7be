import type { InventoryNumber } from './inventory';
import type { SoldNumbers } from './sold-numbers';

/** A number on the emulated account, in whatever state the carrier gives it. */
export interface OwnedNumber {
  e164: string;
  /** The carrier's resource id (Twilio PN sid, Telnyx phone number id); the number itself where it has none. */
  id: string;
  /** The carrier's own status word (Telnyx 'purchase-pending' / 'active', Plivo 'pending' / 'Success'...). */
  status: string;
  createdAt: number;
  /** The order that bought it, where the carrier has orders. */
  orderId?: string;
  /** When a released number leaves the account (Sinch's expireAt). */
  expireAt?: number;
}

/** An order as an emulated carrier records it: one number per order, as the service places them. */
export interface EmulatedOrder {
  id: string;
  kind: 'purchase' | 'disconnect';
  e164: string;
  /** The carrier's status word ('pending', 'RECEIVED', 'COMPLETE', 'failure', ...). */
  status: string;
  createdAt: number;
  /** When it finishes, in epoch ms. */
  dueAt: number;
  completedAt?: number;
  /** Our reference, where the carrier keeps one (Telnyx customer_reference, Bandwidth CustomerOrderId). */
  reference?: string;
  /** The carrier's error codes when it failed (Bandwidth ErrorList). */
  errors: { code: string; description: string }[];
  /** Anything else the carrier echoes back (Bandwidth SiteId, PeerId, PartialAllowed). */
  fields: Record<string, string>;
}

/**
 * One carrier's emulated account: the numbers it holds, its orders, and how many purchase requests named each
 * number (so tests can assert the carrier saw at most one). Work that finishes later (asynchronous orders) is
 * scheduled here and settled, without timers, before every request the server handles.
 */
export class CarrierAccount {
  readonly owned = new Map<string, OwnedNumber>();
  readonly orders = new Map<string, EmulatedOrder>();
  private readonly purchaseCounts = new Map<string, number>();
  private scheduled: { dueAt: number; run: (now: number) => void }[] = [];

  constructor(
    readonly carrier: string,
    /** Every number this carrier holds in the emulated world, sold or not. */
    readonly catalogue: ReadonlyMap<string, InventoryNumber>,
    readonly sold: SoldNumbers,
  ) {}

  /** Counts one purchase request naming this number (authenticated and well-formed enough to name it). */
  countPurchase(e164: string): void {
    this.purchaseCounts.set(e164, (this.purchaseCounts.get(e164) ?? 0) + 1);
  }

  purchases(): Record<string, number> {
    return Object.fromEntries(this.purchaseCounts);
  }

  /** The number, when this carrier has it in its inventory and nobody holds it. */
  forSale(e164: string): InventoryNumber | undefined {
    const n = this.catalogue.get(e164);
    return n && !this.sold.isTaken(e164) ? n : undefined;
  }

  /** Takes the number out of the world onto this account (the caller checked forSale). */
  acquire(number: OwnedNumber): void {
    this.sold.take(number.e164, this.carrier);
    this.owned.set(number.e164, number);
  }

  /** Takes the number off the account: on sale again now, or once `holdMs` has passed. */
  relinquish(e164: string, now: number, holdMs = 0): void {
    this.owned.delete(e164);
    this.sold.free(e164, holdMs > 0 ? now + holdMs : undefined);
  }

  /** Runs `run` once `dueAt` (epoch ms) has passed. */
  schedule(dueAt: number, run: (now: number) => void): void {
    this.scheduled.push({ dueAt, run });
  }

  /** Runs what is due, in the order it fell due. */
  settle(now: number): void {
    if (this.scheduled.length === 0) return;
    const due = this.scheduled.filter((s) => s.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    if (due.length === 0) return;
    this.scheduled = this.scheduled.filter((s) => s.dueAt > now);
    for (const s of due) s.run(now);
  }

  reset(): void {
    this.owned.clear();
    this.orders.clear();
    this.purchaseCounts.clear();
    this.scheduled = [];
  }
}
