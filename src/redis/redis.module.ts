import { Global, Module } from '@nestjs/common';
import { RedisService } from './redis.service';

/** The Redis connections, shared by the cache, usage counting and health. */
@Global()
@Module({ providers: [RedisService], exports: [RedisService] })
export class RedisModule {}
