/** The contract's error codes and their HTTP statuses (contract/numbers-api.openapi.yaml). */
export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  usage_limit_exceeded: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  idempotency_conflict: 409,
  number_not_offered: 409,
  internal_error: 500,
  provider_error: 502,
  /** USAGE_LIMIT_ON_REDIS_ERROR=closed: the client's usage cannot be counted (Redis unavailable), so the request is refused. */
  usage_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Statuses HTTP defines more precisely than 400 for a request the service refuses to read (RFC 9110
 * §15.5): too slow (408), a body or chunk extension too large (413), a URL too long (414), a body of a type
 * the operation does not read (415), an unknown expectation (417), headers too large (431). The caller has to change the request, as with any
 * validation_error, so the code stays validation_error and the status says what HTTP calls it.
 */
export const REFUSED_REQUEST_STATUSES = [400, 408, 413, 414, 415, 417, 431] as const;
export type RefusedRequestStatus = (typeof REFUSED_REQUEST_STATUSES)[number];
