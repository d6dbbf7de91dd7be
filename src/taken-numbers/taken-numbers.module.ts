import { Global, Module } from '@nestjs/common';
import { ORDER_LEDGER, type OrderLedger } from '../ledger/order-ledger';
import { HELD_NUMBERS_SOURCE, TakenNumbers } from './taken-numbers';

/** The numbers orders hold, read from the orders ledger and shared between instances over Redis. */
@Global()
@Module({
  providers: [{ provide: HELD_NUMBERS_SOURCE, inject: [ORDER_LEDGER], useFactory: (ledger: OrderLedger) => ledger }, TakenNumbers],
  exports: [TakenNumbers],
})
export class TakenNumbersModule {}
