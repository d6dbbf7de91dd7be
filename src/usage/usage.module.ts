import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { RedisService } from '../redis/redis.service';
import { RedisUsageCounter } from './redis-usage-counter';
import { MemoryUsageCounter, USAGE_COUNTER, type UsageCounter } from './usage-counter';
import { UsageService } from './usage.service';

/** Usage limits, counted in Redis when it is configured (with an in-process fallback while it is away). */
@Global()
@Module({
  providers: [
    {
      provide: USAGE_COUNTER,
      inject: [APP_CONFIG, RedisService],
      useFactory: (config: AppConfig, redis: RedisService): UsageCounter => {
        const memory = new MemoryUsageCounter();
        return redis.client ? new RedisUsageCounter(redis, config.cache.keyPrefix, memory) : memory;
      },
    },
    UsageService,
  ],
  exports: [UsageService, USAGE_COUNTER],
})
export class UsageModule {}
