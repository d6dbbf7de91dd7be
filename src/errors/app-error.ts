import { ERROR_STATUS, type ErrorCode } from './error-codes';
import type { ErrorBody } from './error-envelope';

/**
 * An error the service means to send. Services throw it; only the global filter turns it into a response.
 * `headers` carries what belongs with the error (Retry-After on 402, for example).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly body: Omit<ErrorBody, 'code' | 'message'>;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    body: Omit<ErrorBody, 'code' | 'message'> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.body = body;
    this.headers = headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...this.body };
  }
}
