import { HttpModule, HttpService } from '@nestjs/axios';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { ResilientProvider } from '../resilience/resilient-provider';
import { createAxios, ProviderHttpClient } from './http/provider-http-client';
import type { ProviderDefinition } from './provider-definition';

/** An enabled carrier as the rest of the service sees it, in priority order. */
export interface RegisteredProvider {
  readonly name: string;
  /** The carrier's adapter behind its bulkhead, retries and circuit breaker. */
  readonly adapter: ResilientProvider;
  readonly definition: ProviderDefinition<unknown>;
}

export const ENABLED_PROVIDERS = Symbol('ENABLED_PROVIDERS');

/**
 * Builds every enabled carrier's adapter once, at start-up, from the validated configuration (enabled by
 * credentials, ordered by PROVIDER_PRIORITY: both decided in loadConfig), each wrapped in its policies.
 */
@Injectable()
export class ProviderRegistry {
  readonly providers: RegisteredProvider[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig<ProviderDefinition>,
    http: ProviderHttpClient,
    metrics: MetricsService,
    @InjectPinoLogger('providers') logger: PinoLogger,
  ) {
    this.providers = config.providers.map(({ definition, settings }) => ({
      name: definition.name,
      definition,
      adapter: new ResilientProvider(
        definition.create(settings, { http: http.forProvider(definition.name) }),
        config.resilience,
        metrics,
        logger,
      ),
    }));
    logger.info({ providers: this.providers.map((p) => p.name) }, `${this.providers.length} provider(s) enabled`);
  }
}

@Global()
@Module({
  imports: [HttpModule],
  providers: [
    {
      provide: ProviderHttpClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new ProviderHttpClient(new HttpService(createAxios({ maxSockets: config.resilience.maxConcurrentCalls * 2 }))),
    },
    ProviderRegistry,
    { provide: ENABLED_PROVIDERS, inject: [ProviderRegistry], useFactory: (r: ProviderRegistry) => r.providers },
  ],
  exports: [ENABLED_PROVIDERS, ProviderHttpClient],
})
export class ProvidersModule {}
