import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AnswerCache } from '../cache/answer-cache';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { MetricsService } from '../metrics/metrics.service';
import type { SearchCarrier } from '../numbers/search-carrier';
import { ProviderHttpClient } from '../providers/http/provider-http-client';
import type { ProviderDefinition } from '../providers/provider-definition';
import type { CircuitView } from '../resilience/circuit';
import { ResilientProvider } from '../resilience/resilient-provider';
import { carrierExchangeTracing } from '../tracing/carrier-spans';

/**
 * Builds every enabled carrier once, at start-up, from the validated configuration (enabled by
 * credentials and ordered by PROVIDER_PRIORITY, both decided in loadConfig): its adapter, wrapped in its
 * policies (bulkhead, retries, circuit breaker), wrapped in the answer cache. This is the only place that
 * knows how a carrier is wrapped; everything else sees the contract it needs.
 */
@Injectable()
export class Carriers {
  /** What searches call, highest priority first. */
  readonly search: SearchCarrier[];
  /** What readiness reports. */
  readonly circuits: CircuitView[];

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
    for (const { definition, settings } of config.providers) {
      const adapter = definition.create(settings, { http: http.forProvider(definition.name) });
      const guarded = new ResilientProvider(adapter, config.resilience, metrics, logger);
      this.circuits.push(guarded);
      this.search.push({ ...cache.wrap(guarded), credentialVariables: definition.secretEnv });
    }
    logger.info({ providers: this.search.map((c) => c.name) }, `${this.search.length} provider(s) enabled`);
  }
}
