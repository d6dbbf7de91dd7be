import { type AnswerStore, decodeAnswer, encodeAnswer, type StoredAnswer } from './answer-store';
import type { RedisService } from '../redis/redis.service';
import { inRedisSpan } from '../tracing/redis-spans';

/** Carriers' answers in Redis as compact JSON strings with an expiry (SET EX): shared by every instance. */
export class RedisAnswerStore implements AnswerStore {
  constructor(private readonly redis: RedisService) {}

  get writable(): boolean {
    return this.redis.available;
  }

  async get(key: string): Promise<StoredAnswer | undefined | 'unavailable'> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return 'unavailable';
    try {
      const raw = await inRedisSpan('GET answer', 'GET', key, () => client.get(key));
      return raw === null ? undefined : decodeAnswer(raw);
    } catch (e) {
      this.redis.commandFailed(e);
      return 'unavailable';
    }
  }

  async set(key: string, answer: StoredAnswer, ttlSeconds: number): Promise<void> {
    const client = this.redis.client;
    if (!client || !this.redis.available) return;
    try {
      const value = encodeAnswer(answer);
      await inRedisSpan('SET answer', 'SET', key, () => client.set(key, value, 'EX', Math.max(1, ttlSeconds)));
    } catch (e) {
      this.redis.commandFailed(e);
    }
  }
}
