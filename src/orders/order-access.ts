import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { AppError } from '../errors/app-error';
import { MetricsService } from '../metrics/metrics.service';
import { windowStanding } from '../usage/rate-limit';
import { USAGE_COUNTER, type UsageCounter } from '../usage/usage-counter';

/**
 * Who may order, and how often. Ordering spends money: only the clients ORDER_CLIENTS names may order or read
 * orders (403 for the others), each at most ORDER_LIMIT_REQUESTS orders per ORDER_LIMIT_WINDOW_SECONDS (402
 * past it), counted apart from searches, in Redis when it is configured.
 */
@Injectable()
export class OrderAccess {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(USAGE_COUNTER) private readonly counter: UsageCounter,
    private readonly metrics: MetricsService,
  ) {
    this.allowed = new Set(config.orders.clients);
  }

  /** Throws the 403 unless the client may order. */
  check(client: string): void {
    if (this.allowed.has(client)) return;
    this.metrics.orderRejections.inc({ reason: 'forbidden' });
    throw new AppError('forbidden', `The client "${client}" may not order numbers or read orders.`, {
      fix: `Ordering is limited to the clients named in ORDER_CLIENTS: ask the platform team to add "${client}" there.`,
    });
  }

  /** Counts one order of the client: its rate-limit headers, or the 402 once it used up its window. */
  async admit(client: string): Promise<Record<string, string>> {
    const { requests: limit, windowSeconds } = this.config.orders.limit;
    if (limit === 0) return {};
    const { headers, resetSeconds, exceeded } = windowStanding(limit, await this.counter.increment(client, windowSeconds * 1000, 'orders'));
    if (exceeded) {
      this.metrics.orderRejections.inc({ reason: 'usage_limit_exceeded' });
      throw new AppError(
        'usage_limit_exceeded',
        `The client "${client}" has placed its ${limit} orders for this ${windowSeconds}-second window (ORDER_LIMIT_REQUESTS).`,
        { fix: `Retry after ${resetSeconds} seconds, or ask the platform team for a higher ORDER_LIMIT_REQUESTS.` },
        { ...headers, 'retry-after': String(resetSeconds) },
      );
    }
    return headers;
  }
}
