import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { memoBytes } from '../memo/memo';
import { memoryBudgetBytes } from '../memo/memory-budget';

/** Circuit states as a number, for a gauge: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** More (method, route, status) series than this are counted without a cached series. */
const MAX_CACHED_SERIES = 1000;

/**
 * Every metric the service exports at GET /metrics. One registry per application instance (tests run
 * several in one process), with Node's process metrics.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /**
   * The labelled series of each (method, route, status) answered so far. prom-client hashes the labels on every
   * inc() and observe(); a cache hit costs little more than that, so each series is looked up once. The label
   * values are few (Node's parser knows a fixed list of methods, routes are patterns, statuses are codes), and
   * the map is capped all the same.
   */
  private readonly answeredSeries = new Map<string, { count: { inc(): void }; duration: { observe(v: number): void } }>();

  /** One HTTP request answered: counted and timed under its method, route pattern and status. */
  requestAnswered(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.answeredSeries.get(key);
    if (series === undefined) {
      const labels = { method, route, status: String(status) };
      series = { count: this.httpRequests.labels(labels), duration: this.httpDuration.labels(labels) };
      if (this.answeredSeries.size < MAX_CACHED_SERIES) this.answeredSeries.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }

  readonly providerCalls = new Counter({
    name: 'provider_calls_total',
    help: 'Carrier HTTP calls (each attempt), by provider and outcome (ok or the normalised error kind).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly providerDuration = new Histogram({
    name: 'provider_call_duration_seconds',
    help: 'Carrier call latency (each attempt), by provider and outcome.',
    labelNames: ['provider', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [this.registry],
  });

  readonly providerFailures = new Counter({
    name: 'provider_search_failures_total',
    help: 'Searches on which a carrier failed after retries (or was skipped), by provider and kind.',
    labelNames: ['provider', 'kind'] as const,
    registers: [this.registry],
  });

  readonly filteredNumbers = new Counter({
    name: 'provider_numbers_filtered_total',
    help: 'Numbers a carrier returned that did not satisfy the search, by provider and reason.',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'provider_circuit_state',
    help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly cacheEvents = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache lookups: one carrier answer each (hit, miss, stale, stale_if_error: a stale answer served because its carrier could not be asked, bypass, error), or a whole search answered from the in-process memo (memo); too_large: a carrier answer too large to store.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly cacheBypassIgnored = new Counter({
    name: 'cache_bypass_ignored_total',
    help: 'Searches that sent Cache-Control: no-cache from a client not named in CACHE_BYPASS_CLIENTS (served as if they had not), by client.',
    labelNames: ['client'] as const,
    registers: [this.registry],
  });

  readonly capacityWaits = new Counter({
    name: 'provider_capacity_waits_total',
    help: 'Carrier calls that found every slot of PROVIDER_MAX_CONCURRENCY taken, by provider and outcome (started after waiting, or refused: queue_full, timeout).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly usageUnavailable = new Counter({
    name: 'usage_unavailable_total',
    help: 'Requests whose usage count could not be checked in Redis, by scope (searches, orders) and what was done (counted_in_process with USAGE_LIMIT_ON_REDIS_ERROR=open, refused with closed).',
    labelNames: ['scope', 'action'] as const,
    registers: [this.registry],
  });

  readonly usageRejections = new Counter({
    name: 'usage_limit_rejections_total',
    help: 'Searches refused with 402 because the client used up its window.',
    labelNames: ['client'] as const,
    registers: [this.registry],
  });

  readonly ordersPlaced = new Counter({
    name: 'orders_total',
    help: 'Orders placed, by provider and the state the purchase answered with (completed, pending, action_required, unknown, failed); refused before the carrier: failed.',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly orderStateChanges = new Counter({
    name: 'order_state_changes_total',
    help: 'Orders entering a state, by provider and state (every change, the reconciler\'s included).',
    labelNames: ['provider', 'status'] as const,
    registers: [this.registry],
  });

  readonly orderRejections = new Counter({
    name: 'order_rejections_total',
    help: 'Order requests refused before any order was written, by reason (forbidden, usage_limit_exceeded, number_not_offered, idempotency_conflict).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly reconcilerRuns = new Counter({
    name: 'order_reconciler_runs_total',
    help: 'Rounds of the order reconciler, by result (ok, or error when the ledger could not be read).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly reconcilerChecks = new Counter({
    name: 'order_reconciler_checks_total',
    help: 'Orders the reconciler looked at, by provider, what it did (follow, reconcile, recover: a purchase whose instance stopped, give_up) and the state found.',
    labelNames: ['provider', 'work', 'result'] as const,
    registers: [this.registry],
  });

  /** Read at each scrape from the memos themselves (src/memo): what each holds against the memory budget. */
  readonly memoBytes = new Gauge({
    name: 'memo_bytes',
    help: 'Bytes the in-process memos hold, by estimate, per memo (their sum stays within memo_budget_bytes).',
    labelNames: ['memo'] as const,
    registers: [this.registry],
    collect() {
      for (const [memo, bytes] of Object.entries(memoBytes())) this.set({ memo }, bytes);
    },
  });

  readonly memoBudget = new Gauge({
    name: 'memo_budget_bytes',
    help: 'The memory budget every in-process memo shares (MEMORY_BUDGET_MB).',
    registers: [this.registry],
    collect() {
      this.set(memoryBudgetBytes());
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
