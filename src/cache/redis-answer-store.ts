import { randomUUID } from 'node:crypto';
import { type AnswerStore, decodeAnswer, encodeAnswer, type StoredAnswer } from './answer-store';
import type { RedisService } from './redis.service';

/** Deletes the lock only if we still hold it (it may have expired and been taken by another instance). */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class RedisAnswerStore implements AnswerStore {
  readonly shared = true;
  private readonly token = randomUUID();

  constructor(private readonly redis: RedisService) {}

  async get(key: string): Promise<StoredAnswer | undefined | 'error'> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return 'error';
    try {
      const raw = await client.get(key);
      return raw === null ? undefined : decodeAnswer(raw);
    } catch {
      return 'error';
    }
  }

  async set(key: string, answer: StoredAnswer, ttlSeconds: number): Promise<void> {
    if (!this.redis.available) return;
    await this.redis.client?.set(key, encodeAnswer(answer), 'EX', Math.max(1, ttlSeconds)).catch(() => undefined);
  }

  async tryLock(key: string, ms: number): Promise<boolean> {
    if (!this.redis.available) return false;
    try {
      return (await this.redis.client?.set(key, this.token, 'PX', ms, 'NX')) === 'OK';
    } catch {
      return false;
    }
  }

  async unlock(key: string): Promise<void> {
    if (!this.redis.available) return;
    await this.redis.client?.eval(UNLOCK, 1, key, this.token).catch(() => undefined);
  }
}
