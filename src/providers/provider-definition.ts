import type { CarrierSettingsDefinition } from '../config/carrier-settings';
import type { OrderingSetup } from '../domain/number-ordering';
import type { NumberProvider } from '../domain/number-provider';
import type { ProviderHttp } from './http/provider-http-client';

export interface ProviderDeps {
  /** HTTP bound to this carrier: transport failures come back as ProviderErrors naming it. */
  http: ProviderHttp;
}

/**
 * Everything the service knows about one carrier: how configuration reads its variables, and how its
 * adapter is built from them. Registering a carrier is adding its definition to the PROVIDER_DEFINITIONS
 * list in registry.ts; the composition (src/app) does the rest.
 */
export interface ProviderDefinition<C = unknown> extends CarrierSettingsDefinition<C> {
  create(config: C, deps: ProviderDeps): NumberProvider;
  /**
   * Buying numbers at this carrier, built from the same configuration and deps as its search adapter. Says
   * why when this configuration cannot order (Bandwidth without BANDWIDTH_SITE_ID). Absent: no ordering.
   */
  createOrdering?(config: C, deps: ProviderDeps): OrderingSetup;
}
