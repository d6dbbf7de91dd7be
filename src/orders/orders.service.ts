import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { CarrierOrderState, NumberOrdering, OrderError } from '../domain/number-ordering';
import type { OrderStatus } from '../domain/order';
import { AppError } from '../errors/app-error';
import { ORDER_LEDGER, type NewOrder, type OrderChange, type OrderLedger, type OrderPage, type OrderRecord } from '../ledger/order-ledger';
import { MetricsService } from '../metrics/metrics.service';
import { OFFER_BOOK, offerLifetimeSeconds, type OfferBook } from '../offers/offer-book';
import { SecretScrubber } from '../secrets/secret-scrubber';
import { TakenNumbers } from '../taken-numbers/taken-numbers';
import { INSTANCE_ID } from './instance-id';
import { OrderEvents } from './order-events';
import type { OrderRequest } from './order-request';
import { changeFor, DEFAULT_BACKOFF } from './order-transitions';
import { ORDERING_CARRIERS, type OrderingCarrier } from './ordering-carriers';

export interface PlacedOrder {
  order: OrderRecord;
  /** The same client repeated the same Idempotency-Key and body: the order it created before. */
  replayed: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Margin of a purchase's lease past the calls it covers, before the reconciler may treat it as lost. */
const LEASE_MARGIN_MS = 5000;

/**
 * Buying a number a search offered, exactly once. The order (with its idempotency key) is written to the ledger
 * before the carrier is called, holding the number so that no other order, on any instance, can buy it too.
 * The purchase is sent once; an answer that does not settle the outcome (timeout, reset, 5xx) makes the order
 * `unknown`, looked up at once with reconcile() and then by the reconciler, never purchased again.
 */
@Injectable()
export class OrdersService {
  private readonly carriers: ReadonlyMap<string, OrderingCarrier>;
  private readonly leaseMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ORDER_LEDGER) private readonly ledger: OrderLedger,
    @Inject(OFFER_BOOK) private readonly offers: OfferBook,
    @Inject(ORDERING_CARRIERS) carriers: readonly OrderingCarrier[],
    @Inject(INSTANCE_ID) private readonly instance: string,
    private readonly taken: TakenNumbers,
    private readonly events: OrderEvents,
    private readonly metrics: MetricsService,
    private readonly scrubber: SecretScrubber,
    @InjectPinoLogger('orders') private readonly logger: PinoLogger,
  ) {
    this.carriers = new Map(carriers.map((c) => [c.name, c]));
    this.leaseMs = config.requestTimeoutMs + config.providerTimeoutMs + LEASE_MARGIN_MS;
  }

  /**
   * Places an order (or finds the one this key placed before). `admit` counts it against the client's order
   * limit; it is called only for a request that would write a new order.
   */
  async place(client: string, request: OrderRequest, trackingId: string, admit: () => Promise<void>): Promise<PlacedOrder> {
    const requestHash = hashOf(request);
    const existing = await this.ledger.findByKey(client, request.idempotencyKey);
    if (existing) return this.replay(existing, request, requestHash);
    const provider = await this.carrierFor(request);
    await admit();
    const draft: NewOrder = {
      id: randomUUID(),
      client,
      idempotencyKey: request.idempotencyKey,
      requestHash,
      phoneNumber: request.phoneNumber,
      provider: provider.name,
      trackingId,
      giveUpSeconds: this.config.orders.giveUpSeconds,
    };
    if (!provider.setup.available) {
      return this.refused(draft, request, {
        code: 'invalid_request',
        message: `${provider.name} offered ${request.phoneNumber}, but this service cannot order from ${provider.name}: ${provider.setup.reason}.`,
        fix: `The platform team must complete ${provider.name}'s ordering configuration (contract/configuration.md); until then, order a number another carrier offered.`,
      });
    }
    const placed = await this.ledger.place(draft, this.instance, this.leaseMs);
    switch (placed.kind) {
      case 'existing':
        // Another request with the same key got there first.
        return this.replay(placed.order, request, requestHash);
      case 'number_held':
        return this.refused(draft, request, {
          code: 'number_unavailable',
          message: `Another order holds ${request.phoneNumber}: it is being bought or was bought, so it was not ordered again.`,
          fix: 'Search again and order one of the numbers offered now.',
        });
      case 'placed':
        this.taken.take(draft.phoneNumber);
        return { order: await this.purchase(placed.order, provider.setup.ordering), replayed: false };
      default: {
        const never: never = placed;
        return never;
      }
    }
  }

  async get(client: string, id: string): Promise<OrderRecord> {
    const order = UUID.test(id) ? await this.ledger.get(client, id) : undefined;
    if (!order) {
      throw new AppError('not_found', `This client has no order ${JSON.stringify(id.slice(0, 80))}.`, {
        fix: 'Use the id (or Location) an order request answered with; GET /numbers/orders lists your orders. Orders of other clients are not visible.',
      });
    }
    return order;
  }

  list(client: string, options: { status?: OrderStatus; limit: number; after?: string }): Promise<OrderPage> {
    return this.ledger.list(client, options);
  }

  /** Sends the one purchase of a placed order, and records what it says. */
  private async purchase(order: OrderRecord, ordering: NumberOrdering): Promise<OrderRecord> {
    const budget = this.config.requestTimeoutMs;
    let state: CarrierOrderState;
    try {
      state = await ordering.purchase(order.phoneNumber, { signal: AbortSignal.timeout(budget), trackingId: order.trackingId, orderId: order.id, deadlineAt: Date.now() + budget });
    } catch (e) {
      // A rejection is an adapter defect: the request may have gone out, so the outcome is unknown.
      this.logger.error({ err: e, orderId: order.id, provider: order.provider }, `the ${order.provider} ordering adapter failed unexpectedly on a purchase`);
      state = { state: 'unknown', reason: 'the ordering adapter failed unexpectedly' };
    }
    if (state.state === 'unknown') state = await this.reconcileAtOnce(order, ordering, state);
    const change = this.scrubbed(changeFor(state, { status: 'pending', work: 'purchase', checks: 0 }, DEFAULT_BACKOFF));
    const after = (await this.ledger.change(order.id, change, { by: 'purchaser' })) ?? (await this.ledger.get(order.client, order.id)) ?? order;
    if (after.status === 'failed') this.taken.free(order.phoneNumber);
    this.events.placed(after);
    return after;
  }

  /** A lost answer is looked up at once (the carrier usually knows by then); what it cannot settle, the reconciler follows. */
  private async reconcileAtOnce(order: OrderRecord, ordering: NumberOrdering, lost: CarrierOrderState): Promise<CarrierOrderState> {
    const budget = this.config.providerTimeoutMs;
    try {
      const found = await ordering.reconcile(
        { phoneNumber: order.phoneNumber, orderId: order.id },
        { signal: AbortSignal.timeout(budget), trackingId: order.trackingId, deadlineAt: Date.now() + budget },
      );
      if (found !== 'not_found' && found.state !== 'unknown') {
        this.logger.info({ orderId: order.id, trackingId: order.trackingId, provider: order.provider, found: found.state }, `order ${order.id}: the purchase answer was lost; the carrier says ${found.state}`);
        return found;
      }
    } catch (e) {
      this.logger.error({ err: e, orderId: order.id, provider: order.provider }, `the ${order.provider} ordering adapter failed unexpectedly on a reconciliation`);
    }
    return lost;
  }

  private async refused(draft: NewOrder, request: OrderRequest, error: OrderError): Promise<PlacedOrder> {
    const written = await this.ledger.placeFailed(draft, error);
    if (written.kind === 'existing') return this.replay(written.order, request, draft.requestHash);
    this.events.placed(written.order);
    return { order: written.order, replayed: false };
  }

  private replay(existing: OrderRecord, request: OrderRequest, requestHash: string): PlacedOrder {
    if (existing.requestHash === requestHash) return { order: existing, replayed: true };
    this.metrics.orderRejections.inc({ reason: 'idempotency_conflict' });
    throw new AppError(
      'idempotency_conflict',
      `The Idempotency-Key "${request.idempotencyKey}" was already used by this client for another request (order ${existing.id}: ${existing.phoneNumber} from ${existing.provider}).`,
      { fix: 'Send a new Idempotency-Key for a new purchase; to read the earlier order, repeat its request exactly or GET /numbers/orders/' + existing.id + '.' },
    );
  }

  /** The carrier to buy from: one that offered the number in a recent search (the one pinned, or the highest priority). */
  private async carrierFor(request: OrderRequest): Promise<OrderingCarrier> {
    const offeredBy = new Set(await this.offers.offeredBy(request.phoneNumber));
    const offering = [...this.carriers.values()].filter((c) => offeredBy.has(c.name));
    const window = offerLifetimeSeconds(this.config.cache);
    const names = offering.map((c) => c.name).join(', ');
    if (request.provider !== undefined) {
      const pinned = offering.find((c) => c.name === request.provider);
      if (pinned) return pinned;
      this.metrics.orderRejections.inc({ reason: 'number_not_offered' });
      throw new AppError(
        'number_not_offered',
        offering.length > 0
          ? `No recent search offered ${request.phoneNumber} from ${request.provider}; it was offered by ${names}.`
          : `No recent search offered ${request.phoneNumber}.`,
        {
          fix:
            offering.length > 0
              ? `Leave provider out, or send one of ${names}.`
              : `Search first (GET /numbers/available) and order a number it returned, within ${window} s of the search.`,
          provider: request.provider,
        },
      );
    }
    // Highest priority first; one that can take orders here before one that cannot.
    const chosen = offering.find((c) => c.setup.available) ?? offering[0];
    if (chosen) return chosen;
    this.metrics.orderRejections.inc({ reason: 'number_not_offered' });
    throw new AppError('number_not_offered', `No recent search offered ${request.phoneNumber}.`, {
      fix: `Search first (GET /numbers/available) and order a number it returned, within ${window} s of the search.`,
    });
  }

  private scrubbed(change: OrderChange): OrderChange {
    if (!change.error) return change;
    const e = change.error;
    return { ...change, error: { ...e, message: this.scrubber.scrub(e.message), ...(e.fix !== undefined ? { fix: this.scrubber.scrub(e.fix) } : {}) } };
  }
}

/** What makes two requests with the same key the same request: the number and the carrier asked for. */
function hashOf(request: OrderRequest): string {
  return createHash('sha256').update(JSON.stringify([request.phoneNumber, request.provider ?? null])).digest('hex');
}
