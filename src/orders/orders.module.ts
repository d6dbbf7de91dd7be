import { Module } from '@nestjs/common';
import { INSTANCE_ID, newInstanceId } from './instance-id';
import { OrderAccess } from './order-access';
import { OrderEvents } from './order-events';
import { OrderReconciler } from './order-reconciler';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

/**
 * Buying numbers: the controller, the orders service, and the reconciler that follows unfinished orders. The
 * carriers' ordering (ORDERING_CARRIERS) is bound by the composition; the ledger, the offer book and the taken
 * numbers by their modules.
 */
@Module({
  controllers: [OrdersController],
  providers: [{ provide: INSTANCE_ID, useFactory: newInstanceId }, OrdersService, OrderAccess, OrderEvents, OrderReconciler],
  exports: [OrderReconciler],
})
export class OrdersModule {}
