import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AnswerCache } from '../cache/answer-cache';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { MetricsService } from '../metrics/metrics.service';
import { reportTrim, usableAnswersOf } from '../numbers/engine/usable-answers';
import type { SearchCarrier } from '../numbers/search-carrier';
import type { OrderingCarrier } from '../orders/ordering-carriers';
import { ProviderHttpClient } from '../providers/http/provider-http-client';
import type { ProviderDefinition } from '../providers/provider-definition';
import type { CircuitView } from '../resilience/circuit';
import { ResilientProvider } from '../resilience/resilient-provider';
import { carrierExchangeTracing } from '../tracing/carrier-spans';

/**
 * Builds every enabled carrier once, at start-up, from the validated configuration (enabled by
 * credentials and ordered by PROVIDER_PRIORITY, both decided in loadConfig): its adapter, wrapped in its
 * policies (fair capacity per client, retries, circuit breaker), its answers trimmed to what a search can use,
 * wrapped in the answer cache. This is the only place that
 * knows how a carrier is wrapped; everything else sees the contract it needs.
 */
@Injectable()
export class Carriers {
  /** What searches call, highest priority first. */
  readonly search: SearchCarrier[];
  /** What readiness reports. */
  readonly circuits: CircuitView[];
  /**
   * What orders buy through, highest priority first: each carrier's ordering adapter, built from the same
   * configuration, straight on its HTTP client. No cache and no policies: a purchase is sent once, never retried.
   */
  readonly ordering: OrderingCarrier[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig<ProviderDefinition>,
    cache: AnswerCache,
    metrics: MetricsService,
    @InjectPinoLogger('providers') logger: PinoLogger,
  ) {
    // One HTTP client, so one set of keep-alive agents, for every carrier; with tracing, each exchange is a
    // span whose traceparent the carrier receives.
    const http = ProviderHttpClient.create({
      maxSockets: config.resilience.maxConcurrentCalls * 2,
      observer: config.tracing ? carrierExchangeTracing : undefined,
    });
    this.search = [];
    this.circuits = [];
    this.ordering = [];
    for (const { definition, settings } of config.providers) {
      const deps = { http: http.forProvider(definition.name) };
      const adapter = definition.create(settings, deps);
      const guarded = new ResilientProvider(adapter, config.resilience, metrics, logger);
      this.circuits.push(guarded);
      // Trimmed before the cache: no carrier answer is kept bigger than what a search can return.
      const usable = usableAnswersOf(guarded, (r) => reportTrim(r, { filteredNumbers: metrics.filteredNumbers, info: (f, m) => logger.info(f, m) }));
      this.search.push({ ...cache.wrap(usable), credentialVariables: definition.secretEnv });
      const setup = definition.createOrdering?.(settings, deps) ?? { available: false as const, reason: `${definition.name} has no ordering adapter` };
      this.ordering.push({ name: definition.name, setup });
      if (!setup.available) logger.warn({ provider: definition.name, reason: setup.reason }, `${definition.name} cannot take orders: ${setup.reason}`);
    }
    logger.info({ providers: this.search.map((c) => c.name) }, `${this.search.length} provider(s) enabled`);
  }
}
