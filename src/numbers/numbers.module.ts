import { Module } from '@nestjs/common';
import { FanOut } from './fan-out';
import { NumbersController } from './numbers.controller';
import { NumbersService } from './numbers.service';
import { SearchFastPath } from './search-fast-path';

/** The search feature. The carriers it searches (SEARCH_CARRIERS) are bound by the composition. */
@Module({
  controllers: [NumbersController],
  providers: [NumbersService, FanOut, SearchFastPath],
  exports: [SearchFastPath],
})
export class NumbersModule {}
