import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import type { CallOptions, CallResult, ProviderCaller } from '../numbers/provider-caller';
import type { SearchQuery } from '../domain/search-query';
import type { SearchContext } from '../domain/number-provider';
import type { RegisteredProvider } from '../providers/providers.module';
import type { AnswerStore, StoredAnswer } from './answer-store';
import { answerKey, fillLockKey } from './cache-keys';
import { type FillLock, LocalFillLock, RedisFillLock } from './fill-lock';
import { MemoryAnswerStore } from './memory-answer-store';
import { RedisAnswerStore } from './redis-answer-store';
import { RedisService } from './redis.service';
import { SingleFlight } from './single-flight';

/** How often an instance waiting for another's fill looks for the answer (EXISTS and GET: one round trip). */
const WAIT_POLL_MS = 20;
/** The fill lock outlives the holder's carrier budget by this much, then expires by itself. */
const LOCK_MARGIN_MS = 1000;

/**
 * cache → single flight → Redis fill lock → the carrier's adapter (with its resilience policies).
 *
 * Each carrier's raw answer is cached on its own, per canonical query: one carrier's failure does not stop
 * the others' answers from being cached, a retry calls only the carrier that failed, and failures are
 * never stored. Identical calls are coalesced in process (single flight) and across instances (a short
 * Redis lock: its holder asks the carrier, the others wait for the answer it stores, within their own
 * deadline). With CACHE_STALE_SECONDS, an expired answer is still served while one background refresh
 * runs. A store that fails behaves as an empty one: the search goes to the carrier.
 */
@Injectable()
export class CachingProviderCaller implements ProviderCaller {
  private readonly store: AnswerStore;
  private readonly lock: FillLock;
  private readonly flights = new SingleFlight<CallResult>();
  private readonly ttlMs: number;
  /** How long an entry is kept: fresh for the TTL, then servable as stale. */
  private readonly keepSeconds: number;
  private readonly lockMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    redis: RedisService,
    private readonly metrics: MetricsService,
    @InjectPinoLogger('cache') private readonly logger: PinoLogger,
  ) {
    // Redis configured but down is no reason to fall back to a per-instance cache: the store answers
    // 'unavailable' and the cache is bypassed until Redis is back.
    this.store = redis.client ? new RedisAnswerStore(redis) : new MemoryAnswerStore();
    this.lock = redis.client ? new RedisFillLock(redis) : new LocalFillLock();
    this.ttlMs = config.cache.ttlSeconds * 1000;
    this.keepSeconds = config.cache.ttlSeconds + config.cache.staleSeconds;
    this.lockMs = config.providerTimeoutMs + LOCK_MARGIN_MS;
  }

  async call(provider: RegisteredProvider, query: SearchQuery, ctx: SearchContext, options: CallOptions): Promise<CallResult> {
    const key = answerKey(this.config.cache.keyPrefix, query, provider.name);
    if (this.ttlMs === 0) {
      // Caching is off (CACHE_TTL_SECONDS=0); identical concurrent calls are still coalesced.
      if (!(await admitted(options))) return notAdmitted();
      return this.flights.run(key, async () => ({ numbers: await provider.adapter.search(query, ctx), cache: 'MISS', freshUntil: 0 }));
    }
    // Once the search decided to ask the carrier, only an answer newer than this may serve it.
    let fresherThan = Number.NEGATIVE_INFINITY;
    if (options.bypassCache) {
      this.metrics.cacheEvents.inc({ result: 'bypass' });
      fresherThan = Date.now();
    } else {
      const stored = await this.store.get(key);
      if (stored === 'unavailable') {
        this.metrics.cacheEvents.inc({ result: 'error' });
      } else if (stored) {
        const age = Date.now() - stored.at;
        if (age < this.ttlMs) {
          this.metrics.cacheEvents.inc({ result: 'hit' });
          return this.fromCache(stored);
        }
        if (age < this.keepSeconds * 1000) {
          this.metrics.cacheEvents.inc({ result: 'stale' });
          void admitted(options).then((ok) => ok && this.refreshInBackground(provider, query, key, stored.at));
          return { numbers: stored.numbers, cache: 'STALE', freshUntil: 0 };
        }
        fresherThan = stored.at;
      }
      this.metrics.cacheEvents.inc({ result: 'miss' });
    }
    if (!(await admitted(options))) return notAdmitted();
    return this.flights.run(key, () => this.fill(provider, query, key, ctx, fresherThan, !options.bypassCache));
  }

  /** Asks the carrier, unless the cache was filled meanwhile or another instance is asking: then its answer. */
  private async fill(
    provider: RegisteredProvider,
    query: SearchQuery,
    key: string,
    ctx: SearchContext,
    fresherThan: number,
    recheck: boolean,
  ): Promise<CallResult> {
    const lockKey = fillLockKey(this.config.cache.keyPrefix, query, provider.name);
    // The lock and a second look at the cache go out together (one round trip with auto-pipelining): a
    // search that read the cache just before another one's fill finished must not ask the carrier again.
    const [lock, current] = await Promise.all([this.lock.acquire(lockKey, this.lockMs), recheck ? this.store.get(key) : undefined]);
    if (this.usable(current, fresherThan)) {
      if (typeof lock === 'object') void lock.release();
      return this.fromCache(current);
    }
    if (lock === 'held') {
      const filled = await this.waitForFill(key, lockKey, ctx, fresherThan);
      if (filled) return this.fromCache(filled);
      // The holder failed or vanished (its failure is not cached): ask the carrier ourselves.
    }
    try {
      const at = Date.now();
      const numbers = await provider.adapter.search(query, ctx);
      // Not awaited: the answer need not wait for the write. The write goes out before the release in
      // the finally block, on the same connection, so a waiter that sees the lock gone finds the answer.
      const kept = this.store.writable;
      void this.store.set(key, { at, numbers }, this.keepSeconds);
      // An answer the cache could not keep (Redis unavailable) is not memoised further up either: while
      // Redis is away every search goes to the carriers, and no instance serves what the others cannot.
      return { numbers, cache: 'MISS', freshUntil: kept ? at + this.ttlMs : 0 };
    } finally {
      if (typeof lock === 'object') void lock.release();
    }
  }

  private fromCache(answer: StoredAnswer): CallResult {
    return { numbers: answer.numbers, cache: 'HIT', freshUntil: answer.at + this.ttlMs };
  }

  private usable(answer: StoredAnswer | undefined | 'unavailable', fresherThan: number): answer is StoredAnswer {
    return typeof answer === 'object' && answer.at > fresherThan && Date.now() - answer.at < this.ttlMs;
  }

  /** Polls for the holder's answer until it appears, the holder gives up, or our own deadline comes. */
  private async waitForFill(key: string, lockKey: string, ctx: SearchContext, fresherThan: number): Promise<StoredAnswer | undefined> {
    const until = Math.min(ctx.deadlineAt, Date.now() + this.lockMs);
    while (!ctx.signal.aborted && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      // EXISTS before GET, in one pipeline: the holder writes the answer before it releases the lock, so
      // if the lock is already gone when EXISTS runs, the GET right after it sees the answer.
      const [held, stored] = await Promise.all([this.lock.isHeld(lockKey), this.store.get(key)]);
      if (typeof stored === 'object' && stored.at > fresherThan) return stored;
      if (held !== true || stored === 'unavailable') return undefined;
    }
    return undefined;
  }

  /** One refresh per key at a time, on its own budget; its failure leaves the stale answer in place. */
  private refreshInBackground(provider: RegisteredProvider, query: SearchQuery, key: string, staleAt: number): void {
    if (this.flights.has(key)) return;
    const budget = this.config.providerTimeoutMs;
    const ctx: SearchContext = { signal: AbortSignal.timeout(budget), trackingId: 'background-refresh', deadlineAt: Date.now() + budget };
    this.flights.run(key, () => this.fill(provider, query, key, ctx, staleAt, true)).catch((e: unknown) =>
      this.logger.info({ provider: provider.name, err: e instanceof Error ? e.message : String(e) }, 'background refresh failed; the stale answer stays'),
    );
  }
}

/** A search refused by the usage limit never reaches a carrier; this empty answer is never sent (the 402 is). */
function notAdmitted(): CallResult {
  return { numbers: [], cache: 'MISS', freshUntil: 0 };
}

function admitted(options: CallOptions): Promise<boolean> {
  return options.admission ?? Promise.resolve(true);
}
