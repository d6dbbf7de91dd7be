import type { Order } from '../domain/order';

/** An order as the contract's Order schema writes it. */
export interface OrderView {
  id: string;
  phoneNumber: string;
  provider: string;
  status: Order['status'];
  providerOrderId?: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  error?: { code: string; message: string; fix?: string; providerCode?: string };
}

export function orderView(order: Order): OrderView {
  const e = order.error;
  return {
    id: order.id,
    phoneNumber: order.phoneNumber,
    provider: order.provider,
    status: order.status,
    ...(order.providerOrderId !== undefined ? { providerOrderId: order.providerOrderId } : {}),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    ...(order.completedAt !== undefined ? { completedAt: order.completedAt.toISOString() } : {}),
    ...(e
      ? {
          error: {
            code: e.code,
            message: e.message,
            ...(e.fix !== undefined ? { fix: e.fix } : {}),
            ...(e.providerCode !== undefined ? { providerCode: e.providerCode } : {}),
          },
        }
      : {}),
  };
}
