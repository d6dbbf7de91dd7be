import type { FillLock } from './fill-lock';
import type { FillSignals } from './fill-signals';
import { SingleFlight } from './single-flight';

/** One fill: how to find an answer someone else stored, and how to make one. */
export interface Fill<T> {
  /** Identical fills of this process share one run (the answer's cache key). */
  key: string;
  /** The lock that lets one instance fill while the others wait (cache-keys.ts fillLockKey). */
  lockKey: string;
  /** How long the lock may be held: past it, a holder that died no longer blocks anyone. */
  lockMs: number;
  /** An answer another fill stored that serves this one, if any (the answer cache judges which serve). */
  lookup(): Promise<T | undefined>;
  /** Whether to look before filling (not when the caller asked to bypass what is stored). */
  lookFirst: boolean;
  /** Makes the answer and stores it; the store's write must be issued before this resolves. */
  make(): Promise<T>;
  /** The caller's budget: no wait outlasts it. */
  signal: AbortSignal;
  deadlineAt: number;
}

/**
 * Makes sure one carrier call fills an answer however many searches want it at once: identical fills in
 * this process are coalesced (single flight), and across instances one holds a short Redis lock and fills
 * while the others wait for it. A waiter marks that it waits, so the holder announces its release
 * (fill-lock.ts, fill-signals.ts), and sleeps until then, until the lock expires (its holder died) or
 * until its own deadline; then it reads the holder's answer, or tries the lock again (the holder failed:
 * failures are not stored). Where nobody can be waited for (no Redis, Redis unavailable, announcements
 * not reaching this instance), it fills by itself: a second carrier call is better than a search that
 * waits blind.
 */
export class FillCoordinator {
  private readonly flights = new SingleFlight<unknown>();

  constructor(
    private readonly lock: FillLock,
    private readonly signals: FillSignals,
  ) {}

  run<T>(fill: Fill<T>): Promise<T> {
    return this.flights.run(fill.key, () => this.coordinate(fill)) as Promise<T>;
  }

  /** Coalesces identical work in this process only (no lock: used when nothing is cached). */
  coalesce<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.flights.run(key, work) as Promise<T>;
  }

  /** Whether a fill of this key is running in this process. */
  running(key: string): boolean {
    return this.flights.has(key);
  }

  private async coordinate<T>(fill: Fill<T>): Promise<T> {
    let lookFirst = fill.lookFirst;
    for (;;) {
      // Registered before the lock is tried: a release announced before we sleep still wakes us.
      const waiter = this.signals.expect(fill.lockKey);
      try {
        // The lock and a look at the store go out together (one round trip, auto-pipelined): a search
        // that read the store just before another one's fill finished must not ask the carrier again.
        const [lock, found] = await Promise.all([this.lock.acquire(fill.lockKey, fill.lockMs), lookFirst ? fill.lookup() : undefined]);
        if (found !== undefined) {
          if (typeof lock === 'object') void lock.release();
          return found;
        }
        if (lock === 'held' && this.signals.listening) {
          // Tell the holder we wait, so its release is announced; learn when its lock would expire.
          const expiresInMs = await this.lock.awaitRelease(fill.lockKey);
          if (typeof expiresInMs === 'number') {
            await waiter.wait(Math.min(fill.deadlineAt, Date.now() + expiresInMs), fill.signal);
            const filled = await fill.lookup();
            if (filled !== undefined) return filled;
            // The holder failed, or its lock expired: try the lock again, unless our own time is up.
            lookFirst = false;
            if (!fill.signal.aborted && Date.now() < fill.deadlineAt) continue;
          }
        }
        return await this.make(fill, typeof lock === 'object' ? lock : undefined);
      } finally {
        waiter.dispose();
      }
    }
  }

  private async make<T>(fill: Fill<T>, lock: { release(): Promise<void> } | undefined): Promise<T> {
    try {
      return await fill.make();
    } finally {
      // Not awaited, and after make() issued its write on the same connection: a waiter told of the
      // release finds the answer.
      if (lock) void lock.release();
    }
  }
}
