import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { MetricsService } from '../metrics/metrics.service';

/** What became of a search's Cache-Control: no-cache. */
export type CacheBypass =
  /** The request did not ask to bypass the cache. */
  | 'none'
  /** It asked, and its client is named in CACHE_BYPASS_CLIENTS: the carriers are asked. */
  | 'honoured'
  /** It asked, and its client is not named: the search is served as if it had not asked. */
  | 'ignored';

/** The response header that tells a client its no-cache was ignored (value `ignored`). */
export const CACHE_BYPASS_HEADER = 'x-cache-bypass';

/** Whether a Cache-Control request header asks for no-cache (any of its directives, any case). */
export function asksToBypass(cacheControl: string | readonly string[] | undefined): boolean {
  const value = Array.isArray(cacheControl) ? cacheControl.join(',') : String(cacheControl ?? '');
  return /(^|[\s,])no-cache($|[\s,=])/i.test(value);
}

/** The decision alone, for callers that hold the configured list themselves. */
export function cacheBypassFor(bypassClients: readonly string[], client: string, cacheControl: string | readonly string[] | undefined): CacheBypass {
  if (!asksToBypass(cacheControl)) return 'none';
  return bypassClients.includes(client) ? 'honoured' : 'ignored';
}

/**
 * Who may bypass the cache (CACHE_BYPASS_CLIENTS), decided in one place for every path that serves a
 * search: a bypass costs a call to every carrier, and the carriers' capacity is shared by every client.
 * An ignored bypass is counted (by client) so operators see who asks for it.
 */
@Injectable()
export class CacheBypassPolicy {
  private readonly clients: readonly string[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.clients = config.cache.bypassClients;
  }

  decide(client: string, cacheControl: string | readonly string[] | undefined): CacheBypass {
    const decision = cacheBypassFor(this.clients, client, cacheControl);
    if (decision === 'ignored') this.metrics.cacheBypassIgnored.inc({ client });
    return decision;
  }

  /** The response headers that go with a decision (none unless the bypass was ignored). */
  static headers(decision: CacheBypass): Record<string, string> {
    return decision === 'ignored' ? { [CACHE_BYPASS_HEADER]: 'ignored' } : {};
  }
}
