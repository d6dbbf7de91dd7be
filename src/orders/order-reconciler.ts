import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { CarrierOrderState, NumberOrdering, OrderCallContext } from '../domain/number-ordering';
import { orderingEnabled } from '../ledger/ledger.module';
import { ORDER_LEDGER, type OrderChange, type OrderLedger, type OrderRecord } from '../ledger/order-ledger';
import { MetricsService } from '../metrics/metrics.service';
import { SecretScrubber } from '../secrets/secret-scrubber';
import { TakenNumbers } from '../taken-numbers/taken-numbers';
import { INSTANCE_ID } from './instance-id';
import { OrderEvents } from './order-events';
import { changeFor, DEFAULT_BACKOFF, delayBefore, gaveUpError, noRecordError } from './order-transitions';
import { ORDERING_CARRIERS, type OrderingCarrier } from './ordering-carriers';

/** How often due work is claimed. */
const TICK_MS = 500;
/** Orders claimed per round (each is one carrier call, made concurrently). */
const BATCH = 20;
/**
 * How long the carrier may keep saying it has no trace of a purchase whose answer was lost before the order is
 * failed as "nothing was bought": carriers' lists can lag a purchase by a moment, never by this much. When
 * ORDER_GIVE_UP_SECONDS is short, the grace is half of it, so that the verdict comes before the give-up.
 */
const NOT_FOUND_GRACE_MS = 15 * 60_000;

/**
 * Follows every unfinished order to a terminal state, on every instance at once and across restarts: the work
 * lives in the ledger, claimed a batch at a time with a lease (FOR UPDATE SKIP LOCKED), so each order is looked
 * at by one instance at a time, and one whose instance died is picked up when its lease ends.
 * - follow (pending, action_required): status() with backoff, until completed or failed;
 * - reconcile (unknown): reconcile() with backoff. Found: its state. No trace for NOT_FOUND_GRACE_MS: failed,
 *   "the carrier has no record of this purchase; nothing was bought". Never a second purchase;
 * - a purchase whose lease ended before its outcome was recorded (its process died mid-call) is unknown, and
 *   reconciled like one.
 * Past ORDER_GIVE_UP_SECONDS an order the carrier still has not settled is failed, saying what to check there. Stops cleanly
 * on shutdown: no new round, in-flight carrier calls aborted, its leases given back.
 */
@Injectable()
export class OrderReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly carriers: ReadonlyMap<string, OrderingCarrier>;
  private readonly leaseMs: number;
  private readonly graceMs: number;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopping = new AbortController();
  private failing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ORDER_LEDGER) private readonly ledger: OrderLedger,
    @Inject(ORDERING_CARRIERS) carriers: readonly OrderingCarrier[],
    @Inject(INSTANCE_ID) private readonly instance: string,
    private readonly taken: TakenNumbers,
    private readonly events: OrderEvents,
    private readonly metrics: MetricsService,
    private readonly scrubber: SecretScrubber,
    @InjectPinoLogger('order-reconciler') private readonly logger: PinoLogger,
  ) {
    this.carriers = new Map(carriers.map((c) => [c.name, c]));
    // Two carrier calls fit in a lease: a round never outlives the lease of what it claimed.
    this.leaseMs = 2 * config.providerTimeoutMs + 5000;
    this.graceMs = Math.min(NOT_FOUND_GRACE_MS, (config.orders.giveUpSeconds * 1000) / 2);
  }

  onApplicationBootstrap(): void {
    if (!orderingEnabled(this.config)) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await this.round;
    await this.ledger.releaseLeases(this.instance).catch((e: unknown) =>
      this.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'the order reconciler could not give back its leases; they end by themselves'),
    );
    this.logger.info('order reconciler stopped');
  }

  /** One round now, unless one is running (tests and the timer call it). */
  tick(): Promise<void> {
    this.round ??= this.runRound().finally(() => (this.round = undefined));
    return this.round;
  }

  private async runRound(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    let claimed: OrderRecord[];
    try {
      claimed = await this.ledger.claimDue(this.instance, this.leaseMs, BATCH);
      if (this.failing) this.logger.info('the order reconciler reads the ledger again');
      this.failing = false;
    } catch (e) {
      this.metrics.reconcilerRuns.inc({ result: 'error' });
      if (!this.failing) this.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'the order reconciler cannot read the orders ledger; it keeps trying');
      this.failing = true;
      return;
    }
    this.metrics.reconcilerRuns.inc({ result: 'ok' });
    await Promise.all(claimed.map((order) => this.check(order)));
  }

  private async check(order: OrderRecord): Promise<void> {
    const work = order.work === 'purchase' ? 'recover' : (order.work ?? 'follow');
    let change: OrderChange;
    let result: string;
    try {
      ({ change, result } = await this.decide(order, work));
    } catch (e) {
      this.logger.error({ err: e, orderId: order.id, provider: order.provider }, `order ${order.id}: checking it failed unexpectedly; it is checked again later`);
      change = { status: order.status, error: order.error ?? null, work: order.work === 'purchase' ? 'reconcile' : (order.work ?? 'reconcile'), checks: 'increment', nextCheckInMs: delayBefore(order.checks + 1, DEFAULT_BACKOFF) };
      if (order.work === 'purchase') change = { ...change, status: 'unknown' };
      result = 'error';
    }
    this.metrics.reconcilerChecks.inc({ provider: order.provider, work, result });
    try {
      const after = await this.ledger.change(order.id, this.scrubbed(change), { by: 'lease', owner: this.instance });
      if (!after) return; // no longer ours (its lease ended meanwhile): whoever holds it now decides
      if (after.status === 'failed') this.taken.free(after.phoneNumber);
      this.events.changed(order, after, work === 'recover' ? 'recovered: the instance that sent the purchase stopped before recording its answer' : `reconciler: ${work}`);
    } catch (e) {
      this.logger.warn({ err: e instanceof Error ? e.message : String(e), orderId: order.id }, `order ${order.id}: its new state could not be written; it is checked again when its lease ends`);
    }
  }

  private async decide(order: OrderRecord, work: 'follow' | 'reconcile' | 'recover'): Promise<{ change: OrderChange; result: string }> {
    if (work === 'recover') {
      this.logger.warn(
        { orderId: order.id, trackingId: order.trackingId, provider: order.provider, previousOwner: order.leaseOwner },
        `order ${order.id}: its purchase was sent by an instance that stopped before recording the answer; reconciling it`,
      );
    }
    const giveUp = (): { change: OrderChange; result: string } => ({
      change: { status: 'failed', error: gaveUpError(order, this.config.orders.giveUpSeconds), work: null, checks: 'reset' },
      result: 'give_up',
    });
    const carrier = this.carriers.get(order.provider);
    if (!carrier?.setup.available) {
      // The carrier was disabled since: nothing can be asked; the order waits (and gives up in the end).
      if (Date.now() >= order.giveUpAt.getTime()) return giveUp();
      this.logger.warn({ orderId: order.id, provider: order.provider }, `order ${order.id}: ${order.provider} cannot be asked about it in this configuration`);
      return {
        change: { status: work === 'follow' ? order.status : 'unknown', error: order.error ?? null, work: work === 'follow' ? 'follow' : 'reconcile', checks: 'increment', nextCheckInMs: DEFAULT_BACKOFF.maxMs },
        result: 'unavailable',
      };
    }
    // The carrier is asked first, even past the give-up time: an order that finished meanwhile is recorded as it ended.
    const state = await this.ask(order, work, carrier.setup.ordering);
    const now = Date.now();
    if (state === 'not_found') {
      const since = order.unknownSince?.getTime() ?? now;
      if (now - since >= this.graceMs) {
        return { change: { status: 'failed', error: noRecordError(order.provider, Math.round(this.graceMs / 1000)), work: null, checks: 'reset' }, result: 'not_found' };
      }
      if (now >= order.giveUpAt.getTime()) return giveUp();
      return { change: changeFor({ state: 'unknown', reason: 'the carrier has no record of the purchase (yet)' }, order, DEFAULT_BACKOFF), result: 'not_found' };
    }
    if ((state.state === 'pending' || state.state === 'action_required' || state.state === 'unknown') && now >= order.giveUpAt.getTime()) return giveUp();
    return { change: changeFor(state, order, DEFAULT_BACKOFF), result: state.state };
  }

  /** One carrier call: status() of an order being followed, reconcile() of one whose outcome is unknown. */
  private ask(order: OrderRecord, work: 'follow' | 'reconcile' | 'recover', ordering: NumberOrdering): Promise<CarrierOrderState | 'not_found'> {
    const ctx: OrderCallContext = {
      signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.config.providerTimeoutMs)]),
      trackingId: order.trackingId,
      deadlineAt: Date.now() + this.config.providerTimeoutMs,
    };
    const placed = { phoneNumber: order.phoneNumber, orderId: order.id, ...(order.providerOrderId !== undefined ? { providerOrderId: order.providerOrderId } : {}) };
    return work === 'follow' ? ordering.status(placed, ctx) : ordering.reconcile(placed, ctx);
  }

  private scrubbed(change: OrderChange): OrderChange {
    if (!change.error) return change;
    const e = change.error;
    return { ...change, error: { ...e, message: this.scrubber.scrub(e.message), ...(e.fix !== undefined ? { fix: this.scrubber.scrub(e.fix) } : {}) } };
  }
}
