/** Who holds a sold number: the carrier account that bought it, or a carrier's hold after a release. */
export interface Holder {
  carrier: string;
  /** Set while a released number is held back before it is on sale again (Plivo's 10 days, Sinch's expireAt). */
  heldUntil?: number;
}

/**
 * The emulated world's sold numbers, shared by every carrier of one server: a number bought at any carrier
 * leaves every carrier's search (carriers' inventories overlap in the emulated world, a real number has one
 * owner), and is on sale again only once released and past any hold.
 */
export class SoldNumbers {
  private readonly taken = new Map<string, Holder>();
  private changes = 0;

  /** Changes with every sale or return, so for-sale lists are recomputed only when something changed. */
  get version(): number {
    return this.changes;
  }

  holder(e164: string): Holder | undefined {
    return this.taken.get(e164);
  }

  isTaken(e164: string): boolean {
    return this.taken.has(e164);
  }

  take(e164: string, carrier: string): void {
    this.taken.set(e164, { carrier });
    this.changes++;
  }

  /** Back on sale now, or held until `heldUntil` (epoch ms). */
  free(e164: string, heldUntil?: number): void {
    const holder = this.taken.get(e164);
    if (!holder) return;
    if (heldUntil === undefined) this.taken.delete(e164);
    else this.taken.set(e164, { carrier: holder.carrier, heldUntil });
    this.changes++;
  }

  /** Puts numbers whose hold has ended back on sale. */
  settle(now: number): void {
    for (const [e164, holder] of this.taken) {
      if (holder.heldUntil !== undefined && holder.heldUntil <= now) {
        this.taken.delete(e164);
        this.changes++;
      }
    }
  }

  clear(): void {
    this.taken.clear();
    this.changes++;
  }
}
