import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { OrderRecord } from '../ledger/order-ledger';
import { MetricsService } from '../metrics/metrics.service';

/**
 * One log line and one metric per state change of an order, whoever made it (the request that placed it or the
 * reconciler): with the order id and the tracking id of the request that placed it, never a credential.
 */
@Injectable()
export class OrderEvents {
  constructor(
    private readonly metrics: MetricsService,
    @InjectPinoLogger('orders') private readonly logger: PinoLogger,
  ) {}

  /** A new order, in the state its purchase (or its refusal) left it. */
  placed(order: OrderRecord): void {
    this.metrics.ordersPlaced.inc({ provider: order.provider, outcome: order.status });
    this.entered(order, 'placed');
  }

  /** An order moved from one state to another (or kept its state with a new carrier order id or error). */
  changed(before: OrderRecord, after: OrderRecord, cause: string): void {
    if (before.status === after.status && before.providerOrderId === after.providerOrderId && before.error?.code === after.error?.code) return;
    this.entered(after, cause, before.status);
  }

  private entered(order: OrderRecord, cause: string, from?: OrderRecord['status']): void {
    this.metrics.orderStateChanges.inc({ provider: order.provider, status: order.status });
    const fields = {
      orderId: order.id,
      trackingId: order.trackingId,
      client: order.client,
      provider: order.provider,
      phoneNumber: order.phoneNumber,
      status: order.status,
      ...(from !== undefined ? { from } : {}),
      ...(order.providerOrderId !== undefined ? { providerOrderId: order.providerOrderId } : {}),
      ...(order.error ? { errorCode: order.error.code, providerCode: order.error.providerCode, errorMessage: order.error.message } : {}),
      cause,
    };
    const line = `order ${order.id} ${from !== undefined ? `${from} → ` : ''}${order.status} (${cause})`;
    if (order.status === 'failed' || order.status === 'unknown') this.logger.warn(fields, line);
    else this.logger.info(fields, line);
  }
}
