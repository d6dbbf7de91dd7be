import { type AnswerStore, decodeAnswer, encodeAnswer, MAX_STORED_ANSWER_BYTES, type StoredAnswer } from './answer-store';
import type { RedisService } from '../redis/redis.service';
import { inRedisSpan } from '../tracing/redis-spans';

/** Told of an answer too large to store: its key and serialised size. */
export type OversizedAnswer = (key: string, bytes: number) => void;

/**
 * Carriers' answers in Redis as compact JSON strings with an expiry (SET EX): shared by every instance. An answer
 * whose serialised form exceeds MAX_STORED_ANSWER_BYTES is not stored (`onOversized` is told: log and metric).
 */
export class RedisAnswerStore implements AnswerStore {
  constructor(
    private readonly redis: RedisService,
    private readonly onOversized: OversizedAnswer = () => undefined,
    private readonly maxBytes = MAX_STORED_ANSWER_BYTES,
  ) {}

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
      // Characters, not bytes: the JSON is ASCII but for carrier text, which only makes the bound a little looser.
      if (value.length > this.maxBytes) {
        this.onOversized(key, value.length);
        return;
      }
      await inRedisSpan('SET answer', 'SET', key, () => client.set(key, value, 'EX', Math.max(1, ttlSeconds)));
    } catch (e) {
      this.redis.commandFailed(e);
    }
  }
}
