import { Global, Module } from '@nestjs/common';
import { PROVIDER_CALLER } from '../numbers/provider-caller';
import { CachingProviderCaller } from './caching-provider-caller';
import { RedisService } from './redis.service';

@Global()
@Module({
  providers: [RedisService, { provide: PROVIDER_CALLER, useClass: CachingProviderCaller }],
  exports: [RedisService, PROVIDER_CALLER],
})
export class CacheModule {}
