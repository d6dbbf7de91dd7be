import { randomUUID } from 'node:crypto';
import type { RedisService } from './redis.service';

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
 */
export interface FillLock {
  acquire(key: string, ms: number): Promise<LockOutcome>;
  /** Whether someone holds the lock now. */
  isHeld(key: string): Promise<boolean | 'unavailable'>;
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
}

/** Deletes the lock only while it still holds our token: it may have expired and been taken by another. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

type WithRelease = { ngReleaseLock(key: string, token: string): Promise<number> };

/** SET NX PX with a random token per acquisition; released with a compare-and-delete script. */
export class RedisFillLock implements FillLock {
  constructor(private readonly redis: RedisService) {
    redis.client?.defineCommand('ngReleaseLock', { numberOfKeys: 1, lua: RELEASE });
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
          await (client as unknown as WithRelease).ngReleaseLock(key, token);
        } catch {
          // It expires by itself.
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
}
