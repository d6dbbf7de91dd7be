/**
 * What every call resolves to: the answer, or one error from a closed union. Calls never reject for
 * anything the service or the network does, so a `switch` on `error.code` is the whole error handling.
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** The fields every error has, whatever its code. */
export interface ErrorFields {
  readonly code: string;
  readonly message: string;
  /** The service's X-Tracking-Id: quote it to the team running numbers-gateway. Absent when no answer came. */
  readonly trackingId: string | undefined;
}

/** An error result thrown by `unwrap`, for callers that prefer exceptions. `error` keeps every detail. */
export class NumbersClientError<E extends ErrorFields = ErrorFields> extends Error {
  override readonly name = 'NumbersClientError';

  constructor(readonly error: E) {
    super(`${error.code}: ${error.message}${error.trackingId === undefined ? '' : ` (trackingId ${error.trackingId})`}`);
  }
}

/** The value of a successful result; throws `NumbersClientError` with the error otherwise. */
export function unwrap<T, E extends ErrorFields>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw new NumbersClientError(result.error);
}
