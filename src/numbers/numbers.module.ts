import { Module } from '@nestjs/common';
import { FanOut } from './fan-out';
import { NumbersController } from './numbers.controller';
import { NumbersService } from './numbers.service';
import { DirectProviderCaller, PROVIDER_CALLER } from './provider-caller';

@Module({
  controllers: [NumbersController],
  providers: [NumbersService, FanOut, { provide: PROVIDER_CALLER, useClass: DirectProviderCaller }],
})
export class NumbersModule {}
