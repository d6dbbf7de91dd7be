import { ProviderError } from '../../domain/provider-error';

export interface IssuedToken {
  value: string;
  /** How long the token lives, from when it was asked for. */
  lifetimeMs: number;
}

/** Refresh this long before the token expires: 60 s as Sinch's SDK does, less for short-lived tokens. */
const SAFETY_MARGIN_MS = 60_000;

interface Pending {
  promise: Promise<string>;
  controller: AbortController;
  waiters: number;
}

/**
 * The OAuth2 access token, cached until shortly before it expires (the one piece of state the Sinch
 * adapter keeps). Concurrent searches share one in-flight token request; that request is not tied to
 * any one search's deadline: it is cancelled only when every search waiting for it has given up. A
 * failed request is not cached: the next search asks again.
 */
export class SinchTokenCache {
  private current?: { value: string; refreshAt: number };
  private pending?: Pending;

  constructor(
    private readonly fetchToken: (signal: AbortSignal) => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  get(signal: AbortSignal): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return Promise.resolve(this.current.value);
    if (signal.aborted) return Promise.reject(cancelled());
    this.pending ??= this.start();
    return this.wait(this.pending, signal);
  }

  /** Forgets a token the API rejected, unless another search has already replaced it. */
  invalidate(value: string): void {
    if (this.current?.value === value) this.current = undefined;
  }

  private start(): Pending {
    const controller = new AbortController();
    const askedAt = this.now();
    const pending: Pending = { controller, waiters: 0, promise: Promise.resolve('') };
    pending.promise = this.fetchToken(controller.signal)
      .then((token) => {
        const margin = Math.min(SAFETY_MARGIN_MS, token.lifetimeMs / 10);
        this.current = { value: token.value, refreshAt: askedAt + token.lifetimeMs - margin };
        return token.value;
      })
      .finally(() => {
        if (this.pending === pending) this.pending = undefined;
      });
    // Waiters handle the outcome; this keeps an abandoned request's failure from going unhandled.
    pending.promise.catch(() => undefined);
    return pending;
  }

  private wait(pending: Pending, signal: AbortSignal): Promise<string> {
    pending.waiters++;
    return new Promise<string>((resolve, reject) => {
      let done = false;
      const leave = () => {
        done = true;
        pending.waiters--;
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (done) return;
        leave();
        if (pending.waiters === 0) {
          // Nobody wants this token any more: close the connection, and let the next search start afresh.
          if (this.pending === pending) this.pending = undefined;
          pending.controller.abort();
        }
        reject(cancelled());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      pending.promise.then(
        (value) => {
          if (done) return;
          leave();
          resolve(value);
        },
        (e: unknown) => {
          if (done) return;
          leave();
          reject(e);
        },
      );
    });
  }
}

function cancelled(): ProviderError {
  return new ProviderError({ provider: 'sinch', kind: 'timeout', message: 'the call was cancelled when its time budget ran out' });
}
