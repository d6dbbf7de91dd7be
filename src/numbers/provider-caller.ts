import type { SearchQuery } from './search-query';
import type { ProviderNumber, SearchContext } from '../providers/provider.interface';
import type { RegisteredProvider } from '../providers/providers.module';

/**
 * How the fan-out obtains one carrier's answer. The plain caller asks the adapter; decorators add caching
 * and resilience around it without the fan-out knowing.
 */
export interface ProviderCaller {
  call(provider: RegisteredProvider, query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]>;
}

export const PROVIDER_CALLER = Symbol('PROVIDER_CALLER');

export class DirectProviderCaller implements ProviderCaller {
  call(provider: RegisteredProvider, query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    return provider.adapter.search(query, ctx);
  }
}
