import type { ProviderResponse } from '../http/provider-http-client';
import { errorKind } from '../http/coded-error';
import { retryAfterSeconds } from '../http/retry-after';
import { unreadableErrorBody } from '../http/unreadable-body';
import { ProviderError, type ProviderErrorKind } from '../../domain/provider-error';
import type { SinchErrorBody, SinchOAuthErrorBody } from './sinch.types';

/** The envelope's `status` (Google API status names, §5.4) says more than the HTTP status. */
const KIND_BY_STATUS: Readonly<Record<string, ProviderErrorKind>> = {
  INVALID_ARGUMENT: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  // 404 on a search: the project (path) does not exist, a configuration mistake no retry fixes.
  NOT_FOUND: 'invalid_request',
  UNAUTHENTICATED: 'auth_failed',
  PERMISSION_DENIED: 'auth_failed',
  RESOURCE_EXHAUSTED: 'rate_limited',
  INTERNAL: 'unavailable',
  UNKNOWN: 'unavailable',
  UNAVAILABLE: 'unavailable',
  DATA_LOSS: 'unavailable',
  ABORTED: 'unavailable',
  DEADLINE_EXCEEDED: 'timeout',
};

/** OAuth2 errors (RFC 6749 §5.2) that mean the key ID or secret is wrong or revoked. */
const BAD_CLIENT: ReadonlySet<string> = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant']);

/** 401/403 bodies are unverified (§5.4): those statuses decide even when the body is not Sinch's JSON. */
const statusDecides = (status: number) => status === 401 || status === 403;

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** A non-2xx answer of the Numbers API: `{"error": {code, message, status, details}}` (§5.4). */
export function sinchError(res: ProviderResponse): ProviderError {
  const body = res.jsonOrUndefined() as SinchErrorBody | undefined;
  if (body === undefined && res.body.trim() !== '' && !statusDecides(res.status)) return unreadableErrorBody('sinch', res);
  const error = typeof body?.error === 'object' && body.error !== null ? body.error : undefined;
  // `code` is an integer in the docs and a string in the SDK models (§5.4): both are read.
  const code = typeof error?.code === 'number' || typeof error?.code === 'string' ? String(error.code) : undefined;
  const status = text(error?.status);
  const message = text(error?.message);
  return new ProviderError({
    provider: 'sinch',
    // Status first, then the envelope's status name (errorKind): UNAVAILABLE on a 400 is not retried.
    kind: statusDecides(res.status) ? 'auth_failed' : errorKind(res.status, status === undefined ? undefined : KIND_BY_STATUS[status]),
    httpStatus: res.status,
    providerCode: code ?? status,
    message: ([status, message].filter(Boolean).join(': ') || `answered HTTP ${res.status}`).slice(0, 300),
    retryAfterSeconds: retryAfterSeconds((h) => res.header(h)),
  });
}

/**
 * A failed token request (POST {SINCH_AUTH_URL}/oauth2/token). Its error body is unverified: the OAuth2
 * shape `{error, error_description}` and the Numbers API envelope are both read. A rejected key is
 * auth_failed (401/403, or 400 invalid_client), the token endpoint's 429 (token bucket, no Retry-After,
 * §5.1) rate_limited, a server error unavailable; any other 4xx is our own malformed request.
 */
export function sinchTokenError(res: ProviderResponse): ProviderError {
  // Either shape: `error` is a string in OAuth2 errors and an object in the Numbers API envelope.
  const body = res.jsonOrUndefined() as { error?: unknown; error_description?: SinchOAuthErrorBody['error_description'] } | undefined;
  if (body === undefined && res.body.trim() !== '' && !statusDecides(res.status) && res.status !== 429) {
    const e = unreadableErrorBody('sinch', res);
    return new ProviderError({ provider: 'sinch', kind: e.kind, httpStatus: e.httpStatus, message: `token request: ${e.message}` });
  }
  const oauthError = text(body?.error);
  const envelope = typeof body?.error === 'object' && body.error !== null ? (body.error as NonNullable<SinchErrorBody['error']>) : undefined;
  const code = oauthError ?? (envelope?.code !== undefined ? String(envelope.code) : text(envelope?.status));
  const detail = text(body?.error_description) ?? text(envelope?.message);
  const badClient = oauthError !== undefined && BAD_CLIENT.has(oauthError);
  const kind: ProviderErrorKind = statusDecides(res.status) ? 'auth_failed' : errorKind(res.status, badClient ? 'auth_failed' : undefined);
  return new ProviderError({
    provider: 'sinch',
    kind,
    httpStatus: res.status,
    providerCode: code,
    message: `token request failed: ${[oauthError, detail].filter(Boolean).join(': ') || `HTTP ${res.status}`}`.slice(0, 300),
    retryAfterSeconds: retryAfterSeconds((h) => res.header(h)),
  });
}
