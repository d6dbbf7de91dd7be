import { Module } from '@nestjs/common';
import { CachingProviderCaller } from '../cache/caching-provider-caller';
import { FanOut } from './fan-out';
import { NumbersController } from './numbers.controller';
import { NumbersService } from './numbers.service';
import { PROVIDER_CALLER } from './provider-caller';

@Module({
  controllers: [NumbersController],
  // The fan-out asks the cache for each carrier's answer; the cache asks the carrier when it must.
  providers: [NumbersService, FanOut, { provide: PROVIDER_CALLER, useExisting: CachingProviderCaller }],
})
export class NumbersModule {}
