import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { RedisService } from '../redis/redis.service';
import { MemoryOfferBook } from './memory-offer-book';
import { OFFER_BOOK, offerLifetimeSeconds, type OfferBook } from './offer-book';
import { RedisOfferBook } from './redis-offer-book';

/**
 * The offer book: in Redis when it is configured, in process otherwise. An offer lasts as long as the cache
 * keeps the answer that made it (CACHE_TTL_SECONDS + CACHE_STALE_SECONDS), and at least MIN_OFFER_SECONDS.
 */
@Global()
@Module({
  providers: [
    {
      provide: OFFER_BOOK,
      inject: [APP_CONFIG, RedisService],
      useFactory: (config: AppConfig, redis: RedisService): OfferBook => {
        const ttlMs = offerLifetimeSeconds(config.cache) * 1000;
        const memory = new MemoryOfferBook(ttlMs);
        return redis.client ? new RedisOfferBook(redis, config.cache.keyPrefix, ttlMs, memory) : memory;
      },
    },
  ],
  exports: [OFFER_BOOK],
})
export class OffersModule {}
