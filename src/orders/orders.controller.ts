import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_ANONYMOUS } from '../auth/api-key.guard';
import { ApiCreateOrder, ApiGetOrder, ApiListOrders } from '../docs/api-responses';
import { AppError } from '../errors/app-error';
import { JSON_BODY_FIX } from '../errors/http-exception.mapping';
import { checkListQuery, cursorAfter } from './list-query';
import { OrderAccess } from './order-access';
import { checkOrderRequest } from './order-request';
import { orderView, type OrderView } from './order-view';
import { KNOWN_PROVIDERS } from './ordering-carriers';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@ApiSecurity('bearerAuth')
@ApiSecurity('apiKeyHeader')
@Controller('numbers/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly access: OrderAccess,
    @Inject(KNOWN_PROVIDERS) private readonly providers: readonly string[],
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'createOrder',
    summary: 'Buy a number that a recent search offered',
    description:
      'Buys `phoneNumber` from the carrier that offered it in a recent search (or from `provider`, which must be one of those carriers). Only clients allowed to order may call it. The order is recorded before the carrier is called; the carrier is asked at most once per order, and an outcome that is not known (timeout, reset, 5xx) is reconciled against the carrier\'s owned numbers before anything is retried. Repeating the same Idempotency-Key with the same body returns the same order (200); the same key with another body is a 409 idempotency_conflict. The answer is 201 with the order in whatever state it reached: completed, pending, action_required, unknown (being reconciled) or failed (with `error`). Another order holding the number (on any instance) makes this one failed with number_unavailable, without reaching the carrier.',
  })
  @ApiCreateOrder()
  async create(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<OrderView> {
    const client = request.client ?? CLIENT_ANONYMOUS;
    this.access.check(client);
    refuseNonJson(request);
    const checked = checkOrderRequest(body, request.headers['idempotency-key'], this.providers);
    const { order, replayed } = await this.orders.place(client, checked, request.id, async () => {
      void reply.headers(await this.access.admit(client));
    });
    if (replayed) void reply.code(200);
    else void reply.code(201).header('location', `/numbers/orders/${order.id}`);
    return orderView(order);
  }

  @Get()
  @ApiOperation({ operationId: 'listOrders', summary: "The calling client's orders, newest first" })
  @ApiListOrders()
  async list(@Req() request: FastifyRequest): Promise<{ orders: OrderView[]; nextCursor?: string }> {
    const client = request.client ?? CLIENT_ANONYMOUS;
    this.access.check(client);
    const query = checkListQuery((request.query ?? {}) as Record<string, unknown>);
    const page = await this.orders.list(client, query);
    return { orders: page.orders.map(orderView), ...(page.next !== undefined ? { nextCursor: cursorAfter(page.next) } : {}) };
  }

  @Get(':orderId')
  @ApiOperation({ operationId: 'getOrder', summary: "One order of the calling client (another client's order is a 404)" })
  @ApiGetOrder()
  async get(@Param('orderId') orderId: string, @Req() request: FastifyRequest): Promise<OrderView> {
    const client = request.client ?? CLIENT_ANONYMOUS;
    this.access.check(client);
    return orderView(await this.orders.get(client, orderId));
  }
}

/**
 * An order is JSON. Fastify reads text/plain bodies too (as a string): such a body is refused as the wrong media
 * type, as Fastify refuses the types it has no parser for, rather than as a malformed order.
 */
function refuseNonJson(request: FastifyRequest): void {
  const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (request.body === undefined || type === 'application/json') return;
  throw AppError.refusedRequest(415, `The request body is ${type ? `of type ${type.slice(0, 60)}` : 'of no declared type'}; an order is JSON.`, JSON_BODY_FIX);
}
