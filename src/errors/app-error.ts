import { ERROR_STATUS, type ErrorCode, type RefusedRequestStatus } from './error-codes';
import type { ErrorBody } from './error-envelope';

/**
 * An error the service means to send. Services throw it; only the global filter turns it into a response.
 * `headers` carries what belongs with the error (Retry-After on 402, for example). A validation_error may
 * carry one of the more precise statuses of REFUSED_REQUEST_STATUSES (use AppError.refusedRequest).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly body: Omit<ErrorBody, 'code' | 'message'>;
  readonly headers: Record<string, string>;
  private readonly refusedStatus?: RefusedRequestStatus;

  constructor(
    code: ErrorCode,
    message: string,
    body: Omit<ErrorBody, 'code' | 'message'> = {},
    headers: Record<string, string> = {},
    refusedStatus?: RefusedRequestStatus,
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.body = body;
    this.headers = headers;
    this.refusedStatus = code === 'validation_error' ? refusedStatus : undefined;
  }

  /** A request HTTP itself names the fault of (too large, too slow, unreadable): validation_error with that status. */
  static refusedRequest(status: RefusedRequestStatus, message: string, fix: string, headers: Record<string, string> = {}): AppError {
    return new AppError('validation_error', message, { fix }, headers, status);
  }

  /** A bug, as the caller sees it: internal_error with nothing but the tracking id (the cause goes to the log). */
  static unexpected(): AppError {
    return new AppError('internal_error', 'The service failed unexpectedly while handling this request.', {
      fix: 'Retry the request; if it keeps failing, report the trackingId to the platform team.',
    });
  }

  get status(): number {
    return this.refusedStatus ?? ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...this.body };
  }
}
