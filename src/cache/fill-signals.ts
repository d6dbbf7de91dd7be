import type { RedisService, Subscription } from '../redis/redis.service';

/** One wait for a lock's release, registered before the lock is tried so that no release is missed. */
export interface FillWaiter {
  /**
   * Resolves true when the lock is announced released, false at `until` (Date.now() milliseconds) or when
   * the signal aborts, whichever comes first. A release announced since the waiter was registered counts.
   */
  wait(until: number, signal: AbortSignal): Promise<boolean>;
  /** Forgets the waiter (always called, woken or not). */
  dispose(): void;
}

/**
 * How an instance waiting for another's fill learns that the fill lock was released: the holder announces
 * it (fill-lock.ts), and every instance hears it through its one subscriber connection, which wakes the
 * waiters of that lock. Nothing polls.
 */
export interface FillSignals {
  /** Whether a release announced now would reach this instance; when not, waiting would be blind. */
  readonly listening: boolean;
  expect(lockKey: string): FillWaiter;
}

/** One process, no shared lock: nothing to wait for, ever. */
export const NO_FILL_SIGNALS: FillSignals = {
  listening: false,
  expect: () => ({ wait: async () => false, dispose: () => undefined }),
};

/** Releases announced on a Redis channel (one per key prefix), each message naming the released lock. */
export class RedisFillSignals implements FillSignals {
  /** The wake-up functions of every waiter, by lock key. */
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly subscription: Subscription;

  constructor(redis: RedisService, channel: string) {
    this.subscription = redis.subscribe(channel, (lockKey) => this.released(lockKey));
  }

  get listening(): boolean {
    return this.subscription.listening;
  }

  expect(lockKey: string): FillWaiter {
    let announced = false;
    let wake: (() => void) | undefined;
    const onRelease = () => {
      announced = true;
      wake?.();
    };
    let set = this.waiters.get(lockKey);
    if (!set) this.waiters.set(lockKey, (set = new Set()));
    set.add(onRelease);
    const dispose = () => {
      const current = this.waiters.get(lockKey);
      current?.delete(onRelease);
      if (current?.size === 0) this.waiters.delete(lockKey);
    };
    return {
      dispose,
      wait: (until, signal) => {
        if (announced) return Promise.resolve(true);
        if (signal.aborted || until <= Date.now()) return Promise.resolve(false);
        return new Promise<boolean>((resolve) => {
          const finish = (released: boolean) => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            wake = undefined;
            resolve(released);
          };
          const onAbort = () => finish(false);
          const timer = setTimeout(() => finish(false), until - Date.now());
          signal.addEventListener('abort', onAbort, { once: true });
          wake = () => finish(true);
        });
      },
    };
  }

  private released(lockKey: string): void {
    const set = this.waiters.get(lockKey);
    if (set) for (const onRelease of [...set]) onRelease();
  }
}
