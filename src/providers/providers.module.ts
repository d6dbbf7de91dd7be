import { HttpModule, HttpService } from '@nestjs/axios';
import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { createAxios, ProviderHttpClient } from './http/provider-http-client';
import type { NumberProvider, ProviderDefinition } from './provider.interface';

/** An enabled carrier as the rest of the service sees it, in priority order. */
export interface RegisteredProvider {
  readonly name: string;
  readonly adapter: NumberProvider;
  readonly definition: ProviderDefinition<unknown>;
}

export const ENABLED_PROVIDERS = Symbol('ENABLED_PROVIDERS');

/**
 * Builds every enabled carrier's adapter once, at start-up, from the validated configuration: enabled by
 * credentials, ordered by PROVIDER_PRIORITY (both decided in loadConfig).
 */
@Global()
@Module({
  imports: [HttpModule],
  providers: [
    {
      provide: ProviderHttpClient,
      useFactory: () => new ProviderHttpClient(new HttpService(createAxios())),
    },
    {
      provide: ENABLED_PROVIDERS,
      inject: [APP_CONFIG, ProviderHttpClient],
      useFactory: (config: AppConfig, http: ProviderHttpClient): RegisteredProvider[] =>
        config.providers.map(({ definition, config: providerConfig }) => ({
          name: definition.name,
          definition,
          adapter: definition.create(providerConfig, { http: http.forProvider(definition.name) }),
        })),
    },
  ],
  exports: [ENABLED_PROVIDERS, ProviderHttpClient],
})
export class ProvidersModule {}
