import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import type { CallOptions, CallResult, ProviderCaller } from '../numbers/provider-caller';
import type { SearchQuery } from '../numbers/search-query';
import type { ProviderNumber, SearchContext } from '../providers/provider.interface';
import type { RegisteredProvider } from '../providers/providers.module';
import type { AnswerStore, StoredAnswer } from './answer-store';
import { answerKey, fillLockKey } from './cache-keys';
import { MemoryAnswerStore } from './memory-answer-store';
import { RedisAnswerStore } from './redis-answer-store';
import { RedisService } from './redis.service';

/** How often an instance waiting for another's fill looks for the answer. */
const WAIT_POLL_MS = 20;

/**
 * Each carrier's answer is cached on its own, per canonical query, so one carrier's failure does not stop
 * the others' answers from being cached and a retry calls only the carrier that failed. Identical calls are
 * coalesced in process (single flight) and across instances (a short Redis lock: its holder asks the
 * carrier, the others wait for the answer it stores, within their own deadline). With
 * CACHE_STALE_SECONDS, an expired answer is still served while one background refresh runs.
 */
@Injectable()
export class CachingProviderCaller implements ProviderCaller {
  private readonly store: AnswerStore;
  private readonly inFlight = new Map<string, Promise<ProviderNumber[]>>();
  private readonly ttlMs: number;
  private readonly keepSeconds: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly metrics: MetricsService,
    @InjectPinoLogger('cache') private readonly logger: PinoLogger,
  ) {
    this.store = redis.client ? new RedisAnswerStore(redis) : new MemoryAnswerStore();
    this.ttlMs = config.cache.ttlSeconds * 1000;
    this.keepSeconds = config.cache.ttlSeconds + config.cache.staleSeconds;
  }

  async call(provider: RegisteredProvider, query: SearchQuery, ctx: SearchContext, options: CallOptions): Promise<CallResult> {
    if (this.ttlMs === 0) return { numbers: await provider.adapter.search(query, ctx), cache: 'MISS' };
    const key = answerKey(this.config.cache.keyPrefix, query, provider.name);
    if (options.bypassCache) {
      this.metrics.cacheEvents.inc({ result: 'bypass' });
    } else {
      const stored = await this.store.get(key);
      if (stored === 'error') this.metrics.cacheEvents.inc({ result: 'error' });
      else if (stored) {
        const age = Date.now() - stored.at;
        if (age < this.ttlMs) {
          this.metrics.cacheEvents.inc({ result: 'hit' });
          return { numbers: stored.numbers, cache: 'HIT' };
        }
        if (age < this.keepSeconds * 1000) {
          this.metrics.cacheEvents.inc({ result: 'stale' });
          this.refreshInBackground(provider, query, key);
          return { numbers: stored.numbers, cache: 'STALE' };
        }
      }
      this.metrics.cacheEvents.inc({ result: 'miss' });
    }
    return { numbers: await this.singleFlight(key, () => this.fill(provider, query, key, ctx)), cache: 'MISS' };
  }

  private singleFlight(key: string, fill: () => Promise<ProviderNumber[]>): Promise<ProviderNumber[]> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = fill().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Asks the carrier, unless another instance already is: then waits for the answer it stores. */
  private async fill(provider: RegisteredProvider, query: SearchQuery, key: string, ctx: SearchContext): Promise<ProviderNumber[]> {
    const lockKey = fillLockKey(this.config.cache.keyPrefix, query, provider.name);
    const locked = await this.store.tryLock(lockKey, this.config.providerTimeoutMs + 1000);
    if (!locked && this.store.shared && this.redis.available) {
      const filled = await this.waitForFill(key, lockKey, ctx);
      if (filled) return filled.numbers;
      // The holder failed or vanished: ask the carrier ourselves.
    }
    try {
      const numbers = await provider.adapter.search(query, ctx);
      await this.store.set(key, { at: Date.now(), numbers }, this.keepSeconds);
      return numbers;
    } finally {
      if (locked) await this.store.unlock(lockKey);
    }
  }

  /** Polls for the holder's answer until it appears, the holder gives up, or our own deadline comes. */
  private async waitForFill(key: string, lockKey: string, ctx: SearchContext): Promise<StoredAnswer | undefined> {
    const since = Date.now() - this.config.providerTimeoutMs;
    const until = Math.min(ctx.deadlineAt ?? Number.POSITIVE_INFINITY, Date.now() + this.config.providerTimeoutMs);
    while (!ctx.signal.aborted && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      const [stored, holder] = await Promise.all([this.store.get(key), this.redis.client?.exists(lockKey).catch(() => 0)]);
      if (stored && stored !== 'error' && stored.at >= since) return stored;
      if (stored === 'error' || holder === 0) return undefined;
    }
    return undefined;
  }

  /** One refresh per key at a time, on its own budget; its failure leaves the stale answer in place. */
  private refreshInBackground(provider: RegisteredProvider, query: SearchQuery, key: string): void {
    if (this.inFlight.has(key)) return;
    const ctx: SearchContext = {
      signal: AbortSignal.timeout(this.config.providerTimeoutMs),
      trackingId: 'background-refresh',
      deadlineAt: Date.now() + this.config.providerTimeoutMs,
    };
    this.singleFlight(key, () => this.fill(provider, query, key, ctx)).catch((e: unknown) =>
      this.logger.info({ provider: provider.name, err: e instanceof Error ? e.message : String(e) }, 'background refresh failed; the stale answer stays'),
    );
  }
}
