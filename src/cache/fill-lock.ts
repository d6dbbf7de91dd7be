import { randomUUID } from 'node:crypto';
import type { RedisService } from '../redis/redis.service';
import { inRedisSpan } from '../tracing/redis-spans';

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
 * When someone waits, releasing it announces the release (fill-signals.ts), so the waiters look for the
 * answer at once; an uncontended fill announces nothing.
 */
export interface FillLock {
  acquire(key: string, ms: number): Promise<LockOutcome>;
  /** Whether someone holds the lock now. */
  isHeld(key: string): Promise<boolean | 'unavailable'>;
  /**
   * Tells the holder that someone waits for the release (so it will announce it), and returns the
   * milliseconds until the lock expires by itself: 0 when it is already free (try it again).
   */
  awaitRelease(key: string): Promise<number | 'unavailable'>;
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

  async awaitRelease(): Promise<number> {
    return 0;
  }
}

/**
 * Deletes the lock only while it still holds our token (it may have expired and been taken by another),
 * then, if someone marked that they wait (KEYS[2]), announces the release on the channel. All of it
 * happens in the script, on the lock's own node: a waiter told of the release reads the answer from the
 * same node, where the holder's write came first.
 */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  if redis.call('DEL', KEYS[2]) == 1 then redis.call('PUBLISH', ARGV[2], KEYS[1]) end
  return 1
end
return 0
`;

/**
 * Marks that someone waits for the lock's release (KEYS[2], living no longer than the lock) and returns
 * the lock's remaining lifetime; 0 when it was released meanwhile. Atomic, so a release either comes
 * after the mark (and is announced) or before it (and the waiter sees the lock free).
 */
const AWAIT_RELEASE = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[2], '1', 'PX', ttl) end
if ttl == -1 then return -1 end
return math.max(ttl, 0)
`;

type WithScripts = {
  ngReleaseFillLock(key: string, waiting: string, token: string, channel: string): Promise<number>;
  ngAwaitFillLock(key: string, waiting: string): Promise<number>;
};

/** The mark of those waiting for a lock: same hash tag, so on the lock's slot in a Redis Cluster. */
const waitingKey = (lockKey: string) => `${lockKey}:waiting`;

/** SET NX PX with a random token per acquisition; released with a compare-and-delete script. */
export class RedisFillLock implements FillLock {
  /**
   * @param channel where releases are announced (cache-keys.ts fillChannel: one per key prefix).
   */
  constructor(
    private readonly redis: RedisService,
    private readonly channel: string,
  ) {
    redis.client?.defineCommand('ngReleaseFillLock', { numberOfKeys: 2, lua: RELEASE });
    redis.client?.defineCommand('ngAwaitFillLock', { numberOfKeys: 2, lua: AWAIT_RELEASE });
  }

  async acquire(key: string, ms: number): Promise<LockOutcome> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return 'unavailable';
    const token = randomUUID();
    try {
      if ((await inRedisSpan('SET fill-lock', 'SET', key, () => client.set(key, token, 'PX', ms, 'NX'))) !== 'OK') return 'held';
    } catch (e) {
      this.redis.commandFailed(e);
      return 'unavailable';
    }
    return {
      release: async () => {
        try {
          await inRedisSpan('EVALSHA fill-lock release', 'EVALSHA', key, () =>
            (client as unknown as WithScripts).ngReleaseFillLock(key, waitingKey(key), token, this.channel),
          );
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
      return (await inRedisSpan('EXISTS fill-lock', 'EXISTS', key, () => client.exists(key))) === 1;
    } catch (e) {
      this.redis.commandFailed(e);
      return 'unavailable';
    }
  }

  async awaitRelease(key: string): Promise<number | 'unavailable'> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return 'unavailable';
    try {
      const ttl = await inRedisSpan('EVALSHA fill-lock wait', 'EVALSHA', key, () => (client as unknown as WithScripts).ngAwaitFillLock(key, waitingKey(key)));
      // -1: a lock without expiry, which this class never sets: nobody can say when it ends.
      return ttl < 0 ? 'unavailable' : ttl;
    } catch (e) {
      this.redis.commandFailed(e);
      return 'unavailable';
    }
  }
}
