import { Inject, Injectable } from '@nestjs/common';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { CacheOptions, CachedAnswer, CacheStatus, CachedCarrier } from '../cache/answer-cache';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { SearchContext } from '../domain/number-provider';
import { isProviderError, ProviderError } from '../domain/provider-error';
import type { SearchQuery } from '../domain/search-query';
import { MetricsService } from '../metrics/metrics.service';
import { GeocodedPlaces } from '../places/geocoded-places';
import { inCarrierSpan } from '../tracing/carrier-spans';
import { filterExact } from './engine/exact-filter';
import type { ProviderAnswer } from './engine/merge';

export interface FanOutResult {
  /** Exact, normalised answers of the carriers that answered, in priority order. */
  answers: ProviderAnswer[];
  /** Failures of the carriers that did not, in priority order. */
  failures: ProviderError[];
  /** STALE when any answer was stale, else MISS when a carrier was asked, else HIT (every answer from the cache). */
  cache: CacheStatus;
  /** Until when every answer is fresh (Date.now() milliseconds): the least fresh of them. */
  freshUntil: number;
}

/**
 * Calls every eligible carrier concurrently, each under its own budget and all under the search's
 * deadline. Failures are collected as values; nothing a carrier does can throw out of here.
 */
@Injectable()
export class FanOut {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    @InjectPinoLogger('fan-out') private readonly logger: PinoLogger,
  ) {}

  /** Places derived from the numbers themselves, for carriers that give none a person can read. */
  private readonly places = new GeocodedPlaces({
    onLoadError: (callingCode, err) => this.logger.warn({ callingCode, err }, `geocoding data of +${callingCode} could not be read: its numbers get no derived place`),
  });

  async run(carriers: readonly CachedCarrier[], query: SearchQuery, search: SearchContext, options: CacheOptions): Promise<FanOutResult> {
    const callingCode = getCountryCallingCode(query.countryCode as CountryCode);
    // The country's geocoding data loads (once per process, off the event loop) while the carriers are asked;
    // the search never waits for it past its deadline (its numbers then get no derived place).
    const [settled] = await Promise.all([
      Promise.all(carriers.map((c) => this.callOne(c, query, search, options))),
      untilAborted(this.places.prepare(callingCode), search.signal),
    ]);
    const derivedPlace = (code: string, national: string) => this.places.placeOf(code, national);
    const statuses: CacheStatus[] = [];
    let freshUntil = Number.POSITIVE_INFINITY;
    const answers: ProviderAnswer[] = [];
    const failures: ProviderError[] = [];
    settled.forEach((result, i) => {
      const provider = carriers[i].name;
      if (result instanceof ProviderError) {
        failures.push(result);
        statuses.push('MISS');
        this.metrics.providerFailures.inc({ provider, kind: result.kind });
        this.logger.warn({ ...result.toLog() }, `provider ${provider} failed: ${result.kind}`);
        return;
      }
      statuses.push(result.cache);
      freshUntil = Math.min(freshUntil, result.freshUntil);
      const { kept, rejected } = filterExact(query, result.numbers, derivedPlace);
      const filtered = result.numbers.length - kept.length;
      for (const [reason, count] of Object.entries(rejected)) this.metrics.filteredNumbers.inc({ provider, reason }, count);
      if (filtered > 0) {
        this.logger.info({ provider, received: result.numbers.length, filtered, rejected }, `filtered ${filtered} inexact numbers from ${provider}`);
      }
      answers.push({ provider, numbers: kept });
    });
    // STALE first: an answer part of which is past its freshness must say so, whatever the other carriers did.
    const cache: CacheStatus = statuses.includes('STALE') ? 'STALE' : statuses.includes('MISS') || statuses.length === 0 ? 'MISS' : 'HIT';
    return { answers, failures, cache, freshUntil };
  }

  /**
   * One carrier call under its own budget: resolves to its answer or to a ProviderError, never rejects.
   * With tracing, the call is a span of the search (carrier name, cache outcome, numbers, attempts, status).
   */
  private callOne(carrier: CachedCarrier, query: SearchQuery, search: SearchContext, options: CacheOptions): Promise<CachedAnswer | ProviderError> {
    return inCarrierSpan(carrier.name, async (span) => {
      const result = await this.askOne(carrier, query, search, options);
      if (result instanceof ProviderError) span.failed(result);
      else span.answered(result.numbers.length, result.cache);
      return result;
    });
  }

  private async askOne(carrier: CachedCarrier, query: SearchQuery, search: SearchContext, options: CacheOptions): Promise<CachedAnswer | ProviderError> {
    const budget = this.config.providerTimeoutMs;
    const signal = AbortSignal.any([search.signal, AbortSignal.timeout(budget)]);
    const ctx: SearchContext = { signal, trackingId: search.trackingId, deadlineAt: Math.min(Date.now() + budget, search.deadlineAt), client: search.client };
    const started = performance.now();
    try {
      // The race guarantees the answer never waits past the budget, even on an adapter that ignores
      // its signal; the signal itself makes the HTTP client destroy the socket.
      const result = await raceAbort(carrier.search(query, ctx, options), signal, carrier.name);
      if (!Array.isArray(result.numbers)) throw new TypeError(`${carrier.name} adapter resolved to a non-array`);
      this.logger.debug(
        { provider: carrier.name, ms: Math.round(performance.now() - started), count: result.numbers.length, cache: result.cache },
        'provider answered',
      );
      return result;
    } catch (e) {
      if (isProviderError(e)) return e;
      this.logger.error({ provider: carrier.name, err: e }, `provider ${carrier.name} adapter failed unexpectedly`);
      return new ProviderError({ provider: carrier.name, kind: 'adapter_error', message: 'the adapter failed unexpectedly' });
    }
  }
}

/** Resolves when the work does or the signal fires, whichever comes first; never rejects. */
function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    work.then(done, done);
  });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, provider: string): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(timeoutError(provider));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError(provider));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted && !isProviderError(e) ? timeoutError(provider) : e);
      },
    );
  });
}

function timeoutError(provider: string): ProviderError {
  return new ProviderError({ provider, kind: 'timeout', message: 'did not answer within its time budget' });
}
