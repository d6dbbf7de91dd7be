import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisService } from '../cache/redis.service';
import { AppError } from '../errors/app-error';
import { MetricsService } from '../metrics/metrics.service';
import { RedisUsageCounter } from './redis-usage-counter';
import { MemoryUsageCounter, type UsageCounter } from './usage-counter';

/**
 * USAGE_LIMIT_REQUESTS searches per client per USAGE_LIMIT_WINDOW_SECONDS, counted in Redis (shared by all
 * instances) or in process. Returns the X-RateLimit-* headers for the answer, or throws the 402.
 * While Redis is unavailable each instance counts on its own, from zero: the limit then holds per instance
 * rather than in total. Failing open like this beats refusing or failing searches over a cache outage.
 */
@Injectable()
export class UsageService {
  private readonly counter: UsageCounter;
  private readonly windowMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    redis: RedisService,
    private readonly metrics: MetricsService,
  ) {
    const memory = new MemoryUsageCounter();
    this.counter = redis.client ? new RedisUsageCounter(redis, config.cache.keyPrefix, memory) : memory;
    this.windowMs = config.usage.windowSeconds * 1000;
  }

  get enabled(): boolean {
    return this.config.usage.limit > 0;
  }

  async consume(client: string): Promise<Record<string, string>> {
    const limit = this.config.usage.limit;
    if (limit === 0) return {};
    const { count, resetMs } = await this.counter.increment(client, this.windowMs);
    const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
    const headers = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - count)),
      'x-ratelimit-reset': String(resetSeconds),
    };
    if (count > limit) {
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
