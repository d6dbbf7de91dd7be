import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { MetricsService } from '../metrics/metrics.service';
import { RedisService } from '../redis/redis.service';
import { RedisUsageCounter } from './redis-usage-counter';
import { MemoryUsageCounter, USAGE_COUNTER, type UsageCounter } from './usage-counter';
import { UsageService } from './usage.service';

/**
 * Usage limits, counted in Redis when it is configured; while it is away, counted in process
 * (USAGE_LIMIT_ON_REDIS_ERROR=open) or refused (closed). Searches and orders share the counter, so both
 * follow the setting.
 */
@Global()
@Module({
  providers: [
    {
      provide: USAGE_COUNTER,
      inject: [APP_CONFIG, RedisService, MetricsService],
      useFactory: (config: AppConfig, redis: RedisService, metrics: MetricsService): UsageCounter => {
        const memory = new MemoryUsageCounter();
        if (!redis.client) return memory;
        return new RedisUsageCounter(redis, config.cache.keyPrefix, {
          fallback: config.usage.onRedisError === 'closed' ? 'refuse' : memory,
          onUnavailable: (scope, action) => metrics.usageUnavailable.inc({ scope, action }),
        });
      },
    },
    UsageService,
  ],
  exports: [UsageService, USAGE_COUNTER],
})
export class UsageModule {}
