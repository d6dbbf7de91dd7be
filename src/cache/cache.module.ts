import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { MetricsService } from '../metrics/metrics.service';
import { RedisService } from '../redis/redis.service';
import { getLoggerToken, type PinoLogger } from 'nestjs-pino';
import { AnswerCache } from './answer-cache';
import { ANSWER_STORE, type AnswerStore } from './answer-store';
import { CacheBypassPolicy } from './cache-bypass';
import { fillChannel } from './cache-keys';
import { FillCoordinator } from './fill-coordinator';
import { LocalFillLock, RedisFillLock } from './fill-lock';
import { NO_FILL_SIGNALS, RedisFillSignals } from './fill-signals';
import { MemoryAnswerStore } from './memory-answer-store';
import { RedisAnswerStore } from './redis-answer-store';

/**
 * The answer cache and what it stands on, each backend chosen here once: Redis when it is configured,
 * in process otherwise. Redis configured but down is no reason to fall back to a per-instance cache: the
 * Redis store answers 'unavailable' and the cache is bypassed until Redis is back.
 */
@Global()
@Module({
  providers: [
    {
      provide: ANSWER_STORE,
      inject: [RedisService, MetricsService, getLoggerToken('cache')],
      useFactory: (redis: RedisService, metrics: MetricsService, logger: PinoLogger): AnswerStore => {
        if (!redis.client) return new MemoryAnswerStore();
        return new RedisAnswerStore(redis, (key, bytes) => {
          metrics.cacheEvents.inc({ result: 'too_large' });
          logger.warn({ key, bytes }, `a carrier answer of ${bytes} bytes was not cached: larger than the bound of one entry`);
        });
      },
    },
    {
      provide: FillCoordinator,
      inject: [APP_CONFIG, RedisService],
      useFactory: (config: AppConfig, redis: RedisService): FillCoordinator => {
        if (!redis.client) return new FillCoordinator(new LocalFillLock(), NO_FILL_SIGNALS);
        const channel = fillChannel(config.cache.keyPrefix);
        return new FillCoordinator(new RedisFillLock(redis, channel), new RedisFillSignals(redis, channel));
      },
    },
    AnswerCache,
    CacheBypassPolicy,
  ],
  exports: [AnswerCache, CacheBypassPolicy],
})
export class CacheModule {}
