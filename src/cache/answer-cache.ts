import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { NumberProvider, ProviderNumber, SearchContext } from '../domain/number-provider';
import { isProviderError, type ProviderErrorKind } from '../domain/provider-error';
import type { SearchQuery } from '../domain/search-query';
import { MetricsService } from '../metrics/metrics.service';
import { inBackgroundSpan } from '../tracing/carrier-spans';
import { ANSWER_STORE, type AnswerStore, type StoredAnswer } from './answer-store';
import { answerKey, fillLockKey } from './cache-keys';
import { FillCoordinator } from './fill-coordinator';

/** Where one carrier's answer came from (the X-Cache header sums them up). */
export type CacheStatus = 'HIT' | 'MISS' | 'STALE';

export interface CachedAnswer {
  numbers: ProviderNumber[];
  cache: CacheStatus;
  /**
   * Until when this answer is fresh (Date.now() milliseconds); 0 when it must not be reused (stale, or
   * not kept). Callers that keep derived answers keep them no longer than this.
   */
  freshUntil: number;
}

export interface CacheOptions {
  /** The caller sent Cache-Control: no-cache: ask the carrier, then store its answer. */
  bypassCache: boolean;
}

/** A carrier behind the answer cache: what the fan-out calls for each carrier. */
export interface CachedCarrier {
  readonly name: string;
  supports(query: SearchQuery): boolean;
  search(query: SearchQuery, ctx: SearchContext, options: CacheOptions): Promise<CachedAnswer>;
}

/** The fill lock outlives the holder's carrier budget by this much, then expires by itself. */
const LOCK_MARGIN_MS = 1000;

/**
 * Failures that say the carrier could not be asked now (too busy, too slow, down, paused), not that the
 * question was wrong: for these a stale answer is better than none (stale-if-error, RFC 5861). Rate
 * limits, rejected credentials and bad answers are not papered over: someone has to see those.
 */
const STALE_IF_ERROR_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['overloaded', 'timeout', 'unavailable', 'circuit_open']);

/** How long before a call's deadline a stale answer is handed over in place of a carrier that has not answered. */
const STALE_BEFORE_DEADLINE_MS = 50;

/**
 * The answer cache: the one owner of freshness. Each carrier's raw answer is cached on its own, per
 * canonical query, for CACHE_TTL_SECONDS: one carrier's failure does not stop the others' answers from
 * being cached, a retry calls only the carrier that failed, and failures are never stored. With
 * CACHE_STALE_SECONDS an expired answer is still served while one background refresh runs. Answers are
 * kept CACHE_STALE_IF_ERROR_SECONDS past their TTL besides: when the carrier cannot be asked (overloaded,
 * timed out, unavailable, paused), the search gets the last answer as STALE rather than a failure. A
 * search that bypassed the cache (CACHE_BYPASS_CLIENTS) asked for the carrier's answer, so it gets the
 * carrier's failure instead. A store that fails behaves as an empty one: the search goes to the carrier.
 * Who asks the carrier when the cache has nothing is the fill coordinator's business (one call however
 * many searches want the answer).
 */
@Injectable()
export class AnswerCache {
  private readonly ttlMs: number;
  /** Past the TTL, how long an entry is served stale while it is refreshed. */
  private readonly staleMs: number;
  /** Past the TTL, how long an entry may stand in for a carrier that cannot be asked. */
  private readonly staleIfErrorMs: number;
  /** How long an entry is kept: fresh for the TTL, then servable as stale (while refreshed, or on error). */
  private readonly keepSeconds: number;
  private readonly lockMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ANSWER_STORE) private readonly store: AnswerStore,
    private readonly coordinator: FillCoordinator,
    private readonly metrics: MetricsService,
    @InjectPinoLogger('cache') private readonly logger: PinoLogger,
  ) {
    this.ttlMs = config.cache.ttlSeconds * 1000;
    this.staleMs = config.cache.staleSeconds * 1000;
    this.staleIfErrorMs = config.cache.staleIfErrorSeconds * 1000;
    this.keepSeconds = config.cache.ttlSeconds + Math.max(config.cache.staleSeconds, config.cache.staleIfErrorSeconds);
    this.lockMs = config.providerTimeoutMs + LOCK_MARGIN_MS;
  }

  /** The carrier with this cache in front of it. */
  wrap(carrier: NumberProvider): CachedCarrier {
    return {
      name: carrier.name,
      supports: (query) => carrier.supports(query),
      search: (query, ctx, options) => this.search(carrier, query, ctx, options),
    };
  }

  async search(carrier: NumberProvider, query: SearchQuery, ctx: SearchContext, options: CacheOptions): Promise<CachedAnswer> {
    const key = answerKey(this.config.cache.keyPrefix, query, carrier.name);
    if (this.ttlMs === 0) {
      // Caching is off (CACHE_TTL_SECONDS=0); identical concurrent calls are still coalesced.
      return this.coordinator.coalesce(key, async () => ({ numbers: await carrier.search(query, ctx), cache: 'MISS', freshUntil: 0 }));
    }
    // Once the search decided to ask the carrier, only an answer newer than this may serve it.
    let fresherThan = Number.NEGATIVE_INFINITY;
    // What may stand in for the carrier's answer if the carrier cannot be asked.
    let fallback: StoredAnswer | undefined;
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
        if (age < this.ttlMs + this.staleMs) {
          this.metrics.cacheEvents.inc({ result: 'stale' });
          this.refreshInBackground(carrier, query, key, stored.at);
          return { numbers: stored.numbers, cache: 'STALE', freshUntil: 0 };
        }
        if (age < this.ttlMs + this.staleIfErrorMs) fallback = stored;
        fresherThan = stored.at;
      }
      this.metrics.cacheEvents.inc({ result: 'miss' });
    }
    const filling = this.fill(carrier, query, key, ctx, fresherThan, !options.bypassCache);
    return fallback ? this.staleIfError(filling, fallback, carrier.name, ctx.deadlineAt) : filling;
  }

  /**
   * The carrier's answer, or the stale one when the carrier could not be asked (STALE_IF_ERROR_KINDS). A
   * carrier still silent just before the call's deadline counts as timed out: the stale answer must be
   * handed over before the deadline, when the search stops waiting for this carrier.
   */
  private staleIfError(filling: Promise<CachedAnswer>, stale: StoredAnswer, provider: string, deadlineAt: number): Promise<CachedAnswer> {
    const serveStale = (kind: ProviderErrorKind): CachedAnswer => {
      this.metrics.cacheEvents.inc({ result: 'stale_if_error' });
      this.logger.info({ provider, kind, ageMs: Date.now() - stale.at }, `${provider} could not be asked (${kind}): its last answer is served stale`);
      return { numbers: stale.numbers, cache: 'STALE', freshUntil: 0 };
    };
    return new Promise<CachedAnswer>((resolve, reject) => {
      const left = deadlineAt - Date.now() - STALE_BEFORE_DEADLINE_MS;
      const timer = Number.isFinite(left) ? setTimeout(() => resolve(serveStale('timeout')), Math.max(0, left)) : undefined;
      filling.then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (e: unknown) => {
          clearTimeout(timer);
          if (isProviderError(e) && STALE_IF_ERROR_KINDS.has(e.kind)) resolve(serveStale(e.kind));
          else reject(e);
        },
      );
    });
  }

  /** Asks the carrier through the fill coordinator, unless an answer newer than `fresherThan` turns up. */
  private fill(
    carrier: NumberProvider,
    query: SearchQuery,
    key: string,
    ctx: SearchContext,
    fresherThan: number,
    lookFirst: boolean,
  ): Promise<CachedAnswer> {
    return this.coordinator.run<CachedAnswer>({
      key,
      lockKey: fillLockKey(this.config.cache.keyPrefix, query, carrier.name),
      lockMs: this.lockMs,
      lookFirst,
      signal: ctx.signal,
      deadlineAt: ctx.deadlineAt,
      lookup: async () => {
        const stored = await this.store.get(key);
        return this.usable(stored, fresherThan) ? this.fromCache(stored) : undefined;
      },
      make: async () => {
        const at = Date.now();
        const numbers = await carrier.search(query, ctx);
        // Not awaited: the answer need not wait for the write. The write goes out before the lock's
        // release, on the same connection, so a waiter told of the release finds the answer.
        const kept = this.store.writable;
        void this.store.set(key, { at, numbers }, this.keepSeconds);
        // An answer the cache could not keep (Redis unavailable) is not memoised further up either: while
        // Redis is away every search goes to the carriers, and no instance serves what the others cannot.
        return { numbers, cache: 'MISS', freshUntil: kept ? at + this.ttlMs : 0 };
      },
    });
  }

  private fromCache(answer: StoredAnswer): CachedAnswer {
    return { numbers: answer.numbers, cache: 'HIT', freshUntil: answer.at + this.ttlMs };
  }

  private usable(answer: StoredAnswer | undefined | 'unavailable', fresherThan: number): answer is StoredAnswer {
    return typeof answer === 'object' && answer.at > fresherThan && Date.now() - answer.at < this.ttlMs;
  }

  /** One refresh per key at a time, on its own budget; its failure leaves the stale answer in place. */
  private refreshInBackground(carrier: NumberProvider, query: SearchQuery, key: string, staleAt: number): void {
    if (this.coordinator.running(key)) return;
    const budget = this.config.providerTimeoutMs;
    const ctx: SearchContext = { signal: AbortSignal.timeout(budget), trackingId: 'background-refresh', deadlineAt: Date.now() + budget };
    // Started by a search but not part of it: with tracing, a trace of its own, linked to that search's.
    inBackgroundSpan(`carrier ${carrier.name} background refresh`, carrier.name, () => this.fill(carrier, query, key, ctx, staleAt, true)).catch((e: unknown) =>
      this.logger.info({ provider: carrier.name, err: e instanceof Error ? e.message : String(e) }, 'background refresh failed; the stale answer stays'),
    );
  }
}
