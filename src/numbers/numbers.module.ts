import { Module } from '@nestjs/common';
import { FanOut } from './fan-out';
import { NumbersController } from './numbers.controller';
import { NumbersService } from './numbers.service';

@Module({
  controllers: [NumbersController],
  providers: [NumbersService, FanOut],
})
export class NumbersModule {}
