/** The contract's error codes and their HTTP statuses (contract/numbers-api.openapi.yaml). */
export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  usage_limit_exceeded: 402,
  not_found: 404,
  internal_error: 500,
  provider_error: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
