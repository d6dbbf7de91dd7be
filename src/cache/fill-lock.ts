import { randomUUID } from 'node:crypto';
import type { RedisService } from '../redis/redis.service';

/** A lock this process holds; released by the token it was taken with, never by anyone else's. */
export interface HeldLock {
  release(): Promise<void>;
}

/** 'held': another instance is filling the entry; 'unavailable': nobody can know (no shared store). */
export type LockOutcome = HeldLock | 'held' | 'unavailable';

/**
 * The short lock whose holder asks the carrier and fills the cache while other instances wait for its
 * answer (instead of asking the carrier too). It expires by itself, so a holder that dies mid-call
 * blocks the others for at most the lock's lifetime, and those waiting are bounded by their deadline.
 * Releasing it announces the release (fill-signals.ts), so the waiters look for the answer at once.
 */
export interface FillLock {
  acquire(key: string, ms: number): Promise<LockOutcome>;
  /** Whether someone holds the lock now. */
  isHeld(key: string): Promise<boolean | 'unavailable'>;
  /** Milliseconds until the lock expires by itself (0 when nobody holds it). */
  remainingMs(key: string): Promise<number | 'unavailable'>;
}

/** One process: the single flight already coalesces identical calls, there is nobody else to lock out. */
export class LocalFillLock implements FillLock {
  private static readonly HELD: HeldLock = { release: async () => undefined };

  async acquire(): Promise<LockOutcome> {
    return LocalFillLock.HELD;
  }

  async isHeld(): Promise<boolean> {
    return false;
  }

  async remainingMs(): Promise<number> {
    return 0;
  }
}

/**
 * Deletes the lock only while it still holds our token (it may have expired and been taken by another),
 * then announces the release on the channel. Both happen in the script, on the lock's own node: a waiter
 * told of the release reads the answer from the same node, where the holder's write came first.
 */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], KEYS[1])
  return 1
end
return 0
`;

type WithRelease = { ngReleaseFillLock(key: string, token: string, channel: string): Promise<number> };

/** SET NX PX with a random token per acquisition; released with a compare-and-delete script. */
export class RedisFillLock implements FillLock {
  /**
   * @param channel where releases are announced (cache-keys.ts fillChannel: one per key prefix).
   */
  constructor(
    private readonly redis: RedisService,
    private readonly channel: string,
  ) {
    redis.client?.defineCommand('ngReleaseFillLock', { numberOfKeys: 1, lua: RELEASE });
  }

  async acquire(key: string, ms: number): Promise<LockOutcome> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return 'unavailable';
    const token = randomUUID();
    try {
      if ((await client.set(key, token, 'PX', ms, 'NX')) !== 'OK') return 'held';
    } catch (e) {
      this.redis.commandFailed(e);
      return 'unavailable';
    }
    return {
      release: async () => {
        try {
          await (client as unknown as WithRelease).ngReleaseFillLock(key, token, this.channel);
        } catch {
          // It expires by itself; waiters stop waiting then.
        }
      },
    };
  }

  async isHeld(key: string): Promise<boolean | 'unavailable'> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return 'unavailable';
    try {
      return (await client.exists(key)) === 1;
    } catch (e) {
      this.redis.commandFailed(e);
      return 'unavailable';
    }
  }

  async remainingMs(key: string): Promise<number | 'unavailable'> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return 'unavailable';
    try {
      // -2: no such key (released); -1: no expiry, which this lock never lacks.
      return Math.max(0, await client.pttl(key));
    } catch (e) {
      this.redis.commandFailed(e);
      return 'unavailable';
    }
  }
}
