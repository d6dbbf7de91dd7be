import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import { ProviderError } from '../domain/provider-error';

const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 1000;

/**
 * Exponential backoff with full jitter (delay uniform in [0, base·2^n), capped), except that a carrier's
 * own Retry-After / rate-limit reset is honoured when it sent one.
 */
export class CarrierBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = error instanceof ProviderError ? error.retryAfterSeconds : undefined;
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, context.attempt - 1));
    const duration = asked !== undefined ? asked * 1000 : Math.floor(Math.random() * ceiling);
    return { duration, next: (c) => this.next(c) };
  }
}
