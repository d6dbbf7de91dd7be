import type { ProviderResponse } from '../http/provider-http-client';
import { retryAfterSeconds } from '../http/retry-after';
import { unreadableErrorBody } from '../http/unreadable-body';
import { kindFromHttpStatus, ProviderError } from '../../domain/provider-error';
import type { PlivoErrorBody } from './plivo.types';

/**
 * Plivo errors are `{"api_id": "...", "error": "<message>"}` (a 401 may carry no api_id) and have no error
 * codes (vonage-…-sinch.md §2.4): the HTTP status decides the kind (400 invalid_request, 401 auth_failed,
 * 404/405 invalid_request, 429 rate_limited, 5xx unavailable) and providerCode stays unset.
 */
export function plivoError(res: ProviderResponse): ProviderError {
  const raw = res.jsonOrUndefined();
  if (raw === undefined && res.body.trim() !== '') return unreadableErrorBody('plivo', res);
  const body = typeof raw === 'object' && raw !== null ? (raw as PlivoErrorBody) : {};
  return new ProviderError({
    provider: 'plivo',
    kind: kindFromHttpStatus(res.status),
    httpStatus: res.status,
    message: messageOf(body.error) ?? `answered HTTP ${res.status}`,
    // Retry-After on Plivo's 429 is unverified (§2.4); read it when sent.
    retryAfterSeconds: retryAfterSeconds((h) => res.header(h)),
  });
}

/** `error` is a string; validation errors may come as an object of field messages, kept as JSON. */
function messageOf(error: unknown): string | undefined {
  if (typeof error === 'string') return error.trim() === '' ? undefined : error.trim().slice(0, 300);
  if (typeof error === 'object' && error !== null) return JSON.stringify(error).slice(0, 300);
  return undefined;
}
