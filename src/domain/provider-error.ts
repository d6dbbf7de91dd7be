/**
 * The closed set of ways a carrier call can fail. Adapters map every carrier-specific failure onto one of
 * these; nothing else (never a raw AxiosError, which carries the Authorization header) leaves an adapter.
 */
export const PROVIDER_ERROR_KINDS = [
  'auth_failed',
  'rate_limited',
  'insufficient_funds',
  'account_suspended',
  'invalid_request',
  'unavailable',
  'timeout',
  'bad_response',
  /** Skipped: the circuit breaker holds this carrier off after repeated failures. */
  'circuit_open',
  /** Skipped: every slot of this carrier's capacity stayed taken past what the call could wait (src/resilience/fair-capacity.ts). */
  'overloaded',
  /** The adapter itself failed (a bug); contained to this carrier. */
  'adapter_error',
] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

/** Transient kinds: a retry may succeed. Everything else is the caller's or the account's problem. */
const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set(['rate_limited', 'unavailable', 'timeout']);

export interface ProviderErrorDetails {
  provider: string;
  kind: ProviderErrorKind;
  /** The carrier's HTTP status, when it answered. */
  httpStatus?: number;
  /** The carrier's own error code, always as a string (Telnyx "10009", Twilio 20003 → "20003"). */
  providerCode?: string;
  /** The carrier's message (never containing credentials: adapters build it from the body only). */
  message: string;
  /** Seconds the carrier asked us to wait (Retry-After, x-ratelimit-reset, X-RateLimit-Reset). */
  retryAfterSeconds?: number;
}

export class ProviderError extends Error {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly httpStatus?: number;
  readonly providerCode?: string;
  readonly retryAfterSeconds?: number;

  constructor(details: ProviderErrorDetails) {
    super(details.message);
    this.name = 'ProviderError';
    this.provider = details.provider;
    this.kind = details.kind;
    this.httpStatus = details.httpStatus;
    this.providerCode = details.providerCode;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** A short, log-safe description. */
  toLog(): Record<string, unknown> {
    return {
      provider: this.provider,
      kind: this.kind,
      providerStatus: this.httpStatus,
      providerCode: this.providerCode,
      providerMessage: this.message,
      retryAfterSeconds: this.retryAfterSeconds,
    };
  }
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}

/** The kind a carrier's HTTP status implies when its body names nothing more specific. */
export function kindFromHttpStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth_failed';
  if (status === 402) return 'insufficient_funds';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid_request';
  return 'bad_response';
}
