import { Global, Module } from '@nestjs/common';
import { CachingProviderCaller } from './caching-provider-caller';
import { RedisService } from './redis.service';

/** The Redis connection (shared with usage counting and health) and the caching caller NumbersModule uses. */
@Global()
@Module({
  providers: [RedisService, CachingProviderCaller],
  exports: [RedisService, CachingProviderCaller],
})
export class CacheModule {}
