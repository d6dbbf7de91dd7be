import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { AppError } from '../errors/app-error';
import { MetricsService } from '../metrics/metrics.service';
import { windowStanding } from './rate-limit';
import { USAGE_COUNTER, type UsageCounter } from './usage-counter';

/**
 * USAGE_LIMIT_REQUESTS searches per client per USAGE_LIMIT_WINDOW_SECONDS, counted in Redis (shared by all
 * instances: one round trip per search) or in process. Admitting a client is a step of its own, taken
 * before a search looks at any cache or carrier: it returns the X-RateLimit-* headers for the answer, or
 * throws the 402. While Redis is unavailable, USAGE_LIMIT_ON_REDIS_ERROR decides: `open` (the default) has
 * each instance count on its own, from zero, so the limit then holds per instance rather than in total
 * (searches go on through a cache outage); `closed` refuses the search with 503 usage_unavailable and a
 * Retry-After (the limit holds in total, at the price of refusing searches while Redis is away).
 */
@Injectable()
export class UsageService {
  private readonly windowMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(USAGE_COUNTER) private readonly counter: UsageCounter,
    private readonly metrics: MetricsService,
  ) {
    this.windowMs = config.usage.windowSeconds * 1000;
  }

  get enabled(): boolean {
    return this.config.usage.limit > 0;
  }

  /** Counts one search of the client: its rate-limit headers, or the 402 once it used up its window. */
  async admit(client: string): Promise<Record<string, string>> {
    const limit = this.config.usage.limit;
    if (limit === 0) return {};
    const { headers, resetSeconds, exceeded } = windowStanding(limit, await this.counter.increment(client, this.windowMs));
    if (exceeded) {
      this.metrics.usageRejections.inc({ client });
      throw new AppError(
        'usage_limit_exceeded',
        `The client "${client}" has used its ${limit} searches for this ${this.config.usage.windowSeconds}-second window.`,
        { fix: `Retry after ${resetSeconds} seconds, or ask the platform team for a higher limit.` },
        { ...headers, 'retry-after': String(resetSeconds) },
      );
    }
    return headers;
  }
}
