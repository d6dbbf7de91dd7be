import { rateLimitOf, retryAfterSecondsOf, trackingIdOf, type RateLimit } from './headers';
import type { components } from './schema';

type Envelope = components['schemas']['ErrorResponse'];

/** The error codes the served document declares (the envelope's `error.code` enum). */
export type DocumentedErrorCode = Envelope['error']['code'];
/** One invalid query parameter of a 400: which, what is wrong, how to fix it. */
export type ValidationDetail = NonNullable<Envelope['error']['details']>[number];
/** One carrier's failure in a 502. */
export type ProviderFailure = NonNullable<Envelope['error']['providers']>[number];

/** What every error written by the service carries (the `{ trackingId, error }` envelope). */
interface ServiceErrorFields<Code extends DocumentedErrorCode, Status extends number> {
  readonly code: Code;
  readonly status: Status;
  readonly message: string;
  /** What to do about it, written for the person reading the log line. */
  readonly fix: string | undefined;
  readonly provider: string | undefined;
  readonly providerCode: string | undefined;
  readonly trackingId: string;
}

/**
 * The statuses of a refused request: 400, or the one HTTP has a name for (408 the request came too slowly, 413 its
 * body, 414 its URL, 431 its headers are too large, 417 an `Expect` the service does not support).
 */
export type RefusedRequestStatus = 400 | 408 | 413 | 414 | 417 | 431;

/** The request was wrong; `details` names every invalid parameter with its fix (400). Do not retry as is. */
export interface ValidationError extends ServiceErrorFields<'validation_error', RefusedRequestStatus> {
  readonly details: readonly ValidationDetail[];
}
/** 401: the API key is missing, unknown or revoked. */
export type UnauthorizedError = ServiceErrorFields<'unauthorized', 401>;
/** 402: this client used up its searches for the window; come back after `retryAfterSeconds`. */
export interface UsageLimitExceededError extends ServiceErrorFields<'usage_limit_exceeded', 402> {
  readonly retryAfterSeconds: number | undefined;
  readonly rateLimit: RateLimit | undefined;
}
/**
 * 503: this client's usage cannot be counted right now (the service's shared counter is unavailable and it is
 * configured to refuse what it cannot count); come back after `retryAfterSeconds`.
 */
export interface UsageUnavailableError extends ServiceErrorFields<'usage_unavailable', 503> {
  readonly retryAfterSeconds: number | undefined;
}
/** 404: no such route; usually a `baseUrl` with a wrong path. */
export type NotFoundError = ServiceErrorFields<'not_found', 404>;
/** 500: a bug in the service; the body holds nothing but the tracking id, the service's log has the rest. */
export type InternalError = ServiceErrorFields<'internal_error', 500>;
/** 502: every carrier that could serve the search failed; `providers` says how each one did. */
export interface ProviderError extends ServiceErrorFields<'provider_error', 502> {
  readonly providers: readonly ProviderFailure[];
  /** Sent when every failure clears by itself (rate limits, timeouts): when a retry has a chance. */
  readonly retryAfterSeconds: number | undefined;
  readonly rateLimit: RateLimit | undefined;
}

/** Every error the service writes that this client has a type for, by code. */
interface ServiceErrorsByCode {
  validation_error: ValidationError;
  unauthorized: UnauthorizedError;
  usage_limit_exceeded: UsageLimitExceededError;
  not_found: NotFoundError;
  internal_error: InternalError;
  provider_error: ProviderError;
  usage_unavailable: UsageUnavailableError;
}
export type ServiceError = ServiceErrorsByCode[keyof ServiceErrorsByCode];
/** The typed errors a status can carry (a status may carry more than one code). */
export type ServiceErrorWithStatus<Status extends number> = Extract<ServiceError, { status: Status }>;
export type KnownErrorStatus = ServiceError['status'];

// The HTTP statuses of each code, as the document's description lists them. Keys must be codes the served
// document declares: a code it drops or renames stops this from compiling.
const STATUSES_OF_CODE = {
  validation_error: [400, 408, 413, 414, 417, 431],
  unauthorized: [401],
  usage_limit_exceeded: [402],
  not_found: [404],
  internal_error: [500],
  provider_error: [502],
  usage_unavailable: [503],
} as const satisfies { [Code in keyof ServiceErrorsByCode & DocumentedErrorCode]: readonly ServiceErrorsByCode[Code]['status'][] };

/** The request timed out (client side); `trackingId` is there when the headers had arrived. */
export interface TimeoutError {
  readonly code: 'timeout';
  readonly message: string;
  readonly timeoutMs: number;
  readonly trackingId: string | undefined;
}
/** The caller's AbortSignal fired; `reason` is its reason. */
export interface AbortedError {
  readonly code: 'aborted';
  readonly message: string;
  readonly reason: unknown;
  readonly trackingId: string | undefined;
}
/** No HTTP answer: connection refused or reset, DNS failure, TLS failure. */
export interface NetworkError {
  readonly code: 'network_error';
  readonly message: string;
  readonly cause: unknown;
  readonly trackingId: string | undefined;
}
/**
 * An answer that is not one the document describes for this call: a status it does not list, a body that is
 * not the envelope, HTML from a proxy. Usually a wrong `baseUrl` or something between the caller and the service.
 */
export interface UnexpectedResponseError {
  readonly code: 'unexpected_response';
  readonly message: string;
  readonly status: number;
  /** The start of the body, for the log line. */
  readonly body: string;
  readonly trackingId: string | undefined;
}
export type TransportError = TimeoutError | AbortedError | NetworkError | UnexpectedResponseError;

const BODY_EXCERPT_CHARS = 500;

/**
 * The typed error for an error answer, when it is the service's envelope with a code this client knows, sent
 * with that code's status, and the status is one the operation documents; undefined otherwise.
 */
export function serviceErrorOf(response: Response, body: unknown, documented: ReadonlySet<number>): ServiceError | undefined {
  if (!documented.has(response.status) || !isEnvelope(body)) return undefined;
  const { code } = body.error;
  if (!isKnownCode(code) || !(STATUSES_OF_CODE[code] as readonly number[]).includes(response.status)) return undefined;
  const headers = response.headers;
  const common = {
    message: body.error.message,
    fix: optionalString(body.error.fix),
    provider: optionalString(body.error.provider),
    providerCode: optionalString(body.error.providerCode),
    trackingId: trackingIdOf(headers) ?? body.trackingId,
  };
  switch (code) {
    case 'validation_error':
      return { ...common, code, status: response.status as RefusedRequestStatus, details: listOf(body.error.details, isValidationDetail) };
    case 'unauthorized':
      return { ...common, code, status: 401 };
    case 'usage_limit_exceeded':
      return { ...common, code, status: 402, retryAfterSeconds: retryAfterSecondsOf(headers), rateLimit: rateLimitOf(headers) };
    case 'not_found':
      return { ...common, code, status: 404 };
    case 'internal_error':
      return { ...common, code, status: 500 };
    case 'provider_error':
      return {
        ...common,
        code,
        status: 502,
        providers: listOf(body.error.providers, isProviderFailure),
        retryAfterSeconds: retryAfterSecondsOf(headers),
        rateLimit: rateLimitOf(headers),
      };
    case 'usage_unavailable':
      return { ...common, code, status: 503, retryAfterSeconds: retryAfterSecondsOf(headers) };
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}

export function unexpectedResponse(response: Response, body: unknown, why: string): UnexpectedResponseError {
  const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  return {
    code: 'unexpected_response',
    message: `${response.url || 'the service'} answered ${response.status}: ${why}`,
    status: response.status,
    body: text.slice(0, BODY_EXCERPT_CHARS),
    trackingId: trackingIdOf(response.headers),
  };
}

interface EnvelopeShape {
  trackingId: string;
  error: { code: string; message: string; fix?: unknown; provider?: unknown; providerCode?: unknown; details?: unknown; providers?: unknown };
}

function isEnvelope(body: unknown): body is EnvelopeShape {
  if (!isRecord(body) || typeof body.trackingId !== 'string' || !isRecord(body.error)) return false;
  return typeof body.error.code === 'string' && typeof body.error.message === 'string';
}

function isKnownCode(code: string): code is keyof typeof STATUSES_OF_CODE {
  return Object.prototype.hasOwnProperty.call(STATUSES_OF_CODE, code);
}

function isValidationDetail(item: unknown): item is ValidationDetail {
  return isRecord(item) && typeof item.parameter === 'string' && typeof item.message === 'string' && typeof item.fix === 'string';
}

function isProviderFailure(item: unknown): item is ProviderFailure {
  return (
    isRecord(item) &&
    typeof item.provider === 'string' &&
    typeof item.code === 'string' &&
    typeof item.message === 'string' &&
    (item.providerCode === undefined || typeof item.providerCode === 'string')
  );
}

function listOf<T>(value: unknown, isItem: (item: unknown) => item is T): T[] {
  return Array.isArray(value) ? value.filter(isItem) : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
