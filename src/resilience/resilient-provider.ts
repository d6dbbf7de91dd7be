import { circuitBreaker, CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, handleWhen, isBrokenCircuitError, isTaskCancelledError, retry } from 'cockatiel';
import type { PinoLogger } from 'nestjs-pino';
import type { ResilienceConfig } from '../config/resilience.config';
import { CIRCUIT_STATE_VALUE, type MetricsService } from '../metrics/metrics.service';
import type { NumberProvider, ProviderNumber, SearchContext } from '../domain/number-provider';
import { isProviderError, ProviderError, type ProviderErrorKind } from '../domain/provider-error';
import type { SearchQuery } from '../domain/search-query';
import { inAttemptSpan } from '../tracing/carrier-spans';
import { CarrierBackoff } from './carrier-backoff';
import type { CircuitStateName, CircuitView } from './circuit';
import { CapacityRefusedError, FairCapacity, type Release } from './fair-capacity';

/** Failures that say the carrier is unwell. Auth, validation and rate limits do not open the circuit. */
const BREAKER_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['unavailable', 'timeout', 'bad_response', 'adapter_error']);

/** A retry is started only if at least this much of the budget is left for it. */
const MIN_ATTEMPT_MS = 100;

/**
 * A call that finds every slot taken waits at most this share of what is left of its budget, so that the
 * call it then makes still has the rest: waiting the whole budget would only turn "overloaded" into "timeout".
 */
const MAX_WAIT_SHARE = 0.5;
/** The longest wait of a call without a deadline (none is made by a search; kept as a bound all the same). */
const MAX_WAIT_MS = 1000;
/** One slot in this many is kept for clients other than the one holding the rest. */
const RESERVE_SHARE = 8;
/** The queue of work no client asked for (background refreshes): a name no API key can have (those are [A-Za-z0-9._-]). */
const UNATTRIBUTED = '(background)';

/**
 * One carrier behind its protections: a fair cap on calls in flight (fair-capacity.ts: PROVIDER_MAX_CONCURRENCY
 * slots shared between clients, each waiting in its own short queue when all are taken), then retries of
 * transient failures with backoff inside the call's budget and a circuit breaker that skips a carrier after
 * repeated failures and probes it again after a cool-down (cockatiel policies). One slot is held for a
 * call and its retries. Each attempt is measured and logged.
 */
export class ResilientProvider implements NumberProvider, CircuitView {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly capacity: FairCapacity;
  private openedAt = 0;

  constructor(
    private readonly inner: NumberProvider,
    private readonly settings: ResilienceConfig,
    private readonly metrics: MetricsService,
    private readonly logger: PinoLogger,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((e) => isProviderError(e) && BREAKER_KINDS.has(e.kind)),
      { halfOpenAfter: settings.breakerCooldownMs, breaker: new ConsecutiveBreaker(settings.breakerThreshold) },
    );
    // A client may have as many calls waiting as can run at once: more could not start within their budget.
    // An eighth of the slots (none below 8) is left to the other clients, so one that comes in the middle of
    // another's burst starts at once: waiting a whole carrier call for a slot, then making its own, could
    // take it past its budget.
    this.capacity = new FairCapacity(settings.maxConcurrentCalls, settings.maxConcurrentCalls, Math.floor(settings.maxConcurrentCalls / RESERVE_SHARE));
    this.metrics.circuitState.set({ provider: inner.name }, 0);
    this.breaker.onStateChange((state) => {
      const name = stateName(state);
      if (state === CircuitState.Open) this.openedAt = Date.now();
      this.metrics.circuitState.set({ provider: this.name }, CIRCUIT_STATE_VALUE[name]);
      this.logger.warn({ provider: this.name, circuit: name }, `circuit of ${this.name} is now ${name}`);
    });
  }

  get name(): string {
    return this.inner.name;
  }

  get circuit(): CircuitStateName {
    return stateName(this.breaker.state);
  }

  supports(query: SearchQuery): boolean {
    return this.inner.supports(query);
  }

  async search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    const retryPolicy = retry(
      handleWhen((e) => this.shouldRetry(e, ctx.deadlineAt, ctx.signal)),
      { maxAttempts: this.settings.maxRetries, backoff: new CarrierBackoff() },
    );
    let attempts = 0;
    const release = await this.slot(ctx);
    try {
      return await retryPolicy.execute(() => this.breaker.execute(() => this.attempt(query, ctx, ++attempts), ctx.signal), ctx.signal);
    } catch (e) {
      throw this.normalise(e, ctx.signal);
    } finally {
      release();
    }
  }

  /** A slot of the carrier's capacity for this call's client, or the ProviderError of a call that got none in time. */
  private async slot(ctx: SearchContext): Promise<Release> {
    const client = ctx.client ?? UNATTRIBUTED;
    const now = this.capacity.tryAcquire(client);
    if (now) return now;
    const left = ctx.deadlineAt - Date.now();
    const wait = Number.isFinite(left) ? Math.max(0, Math.floor(left * MAX_WAIT_SHARE)) : MAX_WAIT_MS;
    try {
      const release = await this.capacity.acquire(client, AbortSignal.any([ctx.signal, AbortSignal.timeout(wait)]));
      this.metrics.capacityWaits.inc({ provider: this.name, outcome: 'started' });
      return release;
    } catch (e) {
      if (!(e instanceof CapacityRefusedError)) throw e;
      this.metrics.capacityWaits.inc({ provider: this.name, outcome: e.reason });
      if (ctx.signal.aborted) throw new ProviderError({ provider: this.name, kind: 'timeout', message: 'did not answer within its time budget' });
      throw new ProviderError({
        provider: this.name,
        kind: 'overloaded',
        message:
          e.reason === 'queue_full'
            ? `skipped: every slot this client may use is taken (${this.capacity.perClient} of ${this.capacity.capacity} calls in flight) and ${this.capacity.maxQueuedPerClient} more of its calls are waiting`
            : `skipped: all ${this.capacity.capacity} calls in flight, and no slot came free within ${wait} ms`,
      });
    }
  }

  private shouldRetry(e: unknown, deadlineAt: number, signal: AbortSignal): boolean {
    if (!isProviderError(e) || !e.retryable || signal.aborted) return false;
    const wait = e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : 0;
    // A Retry-After that does not fit in what is left of the budget means: give up now.
    return Date.now() + wait + MIN_ATTEMPT_MS < deadlineAt;
  }

  /** One call of the adapter (the first, or a retry: `attempt` counts them); with tracing, a span of its own. */
  private attempt(query: SearchQuery, ctx: SearchContext, attempt: number): Promise<ProviderNumber[]> {
    return inAttemptSpan(this.name, attempt, () => this.call(query, ctx));
  }

  private async call(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await this.inner.search(query, ctx);
    } catch (e) {
      const error = isProviderError(e)
        ? e
        : new ProviderError({ provider: this.name, kind: 'adapter_error', message: 'the adapter failed unexpectedly' });
      if (!isProviderError(e)) this.logger.error({ provider: this.name, err: e }, `${this.name} adapter threw a non-provider error`);
      outcome = error.kind;
      throw error;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.metrics.providerCalls.inc({ provider: this.name, outcome });
      this.metrics.providerDuration.observe({ provider: this.name, outcome }, seconds);
      this.logger.debug({ provider: this.name, outcome, ms: Math.round(seconds * 1000) }, `${this.name} call: ${outcome}`);
    }
  }

  private normalise(e: unknown, signal: AbortSignal): unknown {
    if (isProviderError(e)) return e;
    if (isBrokenCircuitError(e)) {
      const left = Math.max(1, Math.ceil((this.openedAt + this.settings.breakerCooldownMs - Date.now()) / 1000));
      return new ProviderError({
        provider: this.name,
        kind: 'circuit_open',
        message: 'skipped: calls are paused after repeated failures',
        retryAfterSeconds: left,
      });
    }
    if (isTaskCancelledError(e) || signal.aborted) {
      return new ProviderError({ provider: this.name, kind: 'timeout', message: 'did not answer within its time budget' });
    }
    return e;
  }
}

function stateName(state: CircuitState): CircuitStateName {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half_open';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
    default: {
      const never: never = state;
      return never;
    }
  }
}
