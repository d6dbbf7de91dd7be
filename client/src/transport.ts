import { unexpectedResponse, type AbortedError, type NetworkError, type TimeoutError, type TransportError } from './errors';
import { trackingIdOf } from './headers';
import { type Result } from './result';

/** Per call: a caller's AbortSignal and a timeout, combined; whichever fires first ends the call. */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call; a value that is not above 0 rejects with a RangeError. */
  timeoutMs?: number | undefined;
}

/** What openapi-fetch resolves to: parsed data or error body, and the response. */
export interface Answer {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/** Starts the request with the combined signal; `onHeaders` must be called as soon as the response head arrives. */
export type Send = (signal: AbortSignal, onHeaders: (response: Response) => void) => Promise<Answer>;

/** Raised for the timeout, so it can be told from the caller's own abort reason. */
class DeadlineExceeded extends Error {}

/**
 * Runs one request under a deadline and the caller's signal, and turns every way it can fail before an
 * answer is read (timeout, abort, network) into a value. `interpret` turns the answer into the result.
 */
export async function perform<T, E>(
  send: Send,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  interpret: (answer: Answer) => Result<T, E>,
): Promise<Result<T, E | TransportError>> {
  assertTimeout(timeoutMs, 'timeoutMs');
  if (callerSignal?.aborted) return failed(aborted(callerSignal.reason, undefined));

  // One controller per call, fed by the timer and the caller's signal; both are released when the call
  // ends, so a long-lived caller signal does not collect a listener per request.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded()), timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  let head: Response | undefined;
  let answer: Answer;
  try {
    answer = await send(controller.signal, (response) => {
      head = response;
    });
  } catch (e) {
    const trackingId = head ? trackingIdOf(head.headers) : undefined;
    if (controller.signal.aborted) {
      return failed(
        controller.signal.reason instanceof DeadlineExceeded
          ? timedOut(timeoutMs, trackingId)
          : aborted(controller.signal.reason, trackingId),
      );
    }
    // A 2xx whose body is not JSON: openapi-fetch's JSON.parse throws once the head has arrived.
    if (head && nameOf(e) === 'SyntaxError') return failed(unexpectedResponse(head, undefined, `the body is not JSON (${describe(e)})`));
    return failed(networkError(e, head, trackingId));
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
  return interpret(answer);
}

export function assertTimeout(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a number of milliseconds above 0, got ${value}`);
}

function failed<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

function timedOut(timeoutMs: number, trackingId: string | undefined): TimeoutError {
  return {
    code: 'timeout',
    message: `no complete answer within ${timeoutMs} ms${trackingId === undefined ? '' : ' (the headers had arrived)'}`,
    timeoutMs,
    trackingId,
  };
}

function aborted(reason: unknown, trackingId: string | undefined): AbortedError {
  return { code: 'aborted', message: `the caller aborted the request: ${describe(reason)}`, reason, trackingId };
}

function networkError(e: unknown, head: Response | undefined, trackingId: string | undefined): NetworkError {
  const when = head ? `while reading the ${head.status} answer` : 'before any answer';
  return { code: 'network_error', message: `the request failed ${when}: ${describe(e)}`, cause: e, trackingId };
}

/**
 * An error's message with its causes (undici puts the useful part, e.g. ECONNREFUSED, in `cause`). Read by
 * shape, not `instanceof`: errors from fetch may come from another realm (a vm context, a test runner).
 */
function describe(reason: unknown): string {
  const parts: string[] = [];
  for (let r = reason, depth = 0; r !== undefined && r !== null && depth < 4; depth++) {
    if (typeof r === 'object' && typeof (r as { message?: unknown }).message === 'string') {
      const { message, cause } = r as { message: string; cause?: unknown };
      parts.push(message || (nameOf(r) ?? 'error'));
      r = cause;
    } else {
      parts.push(String(r));
      break;
    }
  }
  return parts.join(': ') || 'no reason given';
}

function nameOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : undefined;
}
