import type { ProviderResponse } from '../http/provider-http-client';
import { codedProviderError } from '../http/coded-error';
import { unreadableErrorBody } from '../http/unreadable-body';
import type { ProviderError, ProviderErrorKind } from '../../domain/provider-error';
import type { VonageErrorBody } from './vonage.types';

/**
 * Vonage error bodies are `{"error-code":"401","error-code-label":"authentication failed"}`, the code a string
 * equal to the HTTP status in every documented case (vonage-…-sinch.md §1.4).
 *
 * 420 "method failed" is Vonage's generic action failure: it answers it for wrong arguments (a country code
 * where an MSISDN was expected, [V-ISS-NODE193]) and for a purchase without credit ([V-ISS-CLI157]). For a
 * search the latter is unverified (a search does not spend credit), so 420 is invalid_request: the request
 * as sent will not succeed by retrying it.
 */
const KIND_BY_CODE: Readonly<Record<string, ProviderErrorKind>> = {
  '401': 'auth_failed',
  '420': 'invalid_request',
  '429': 'rate_limited',
};

export function vonageError(res: ProviderResponse): ProviderError {
  const raw = res.jsonOrUndefined();
  if (raw === undefined && res.body.trim() !== '') return unreadableErrorBody('vonage', res);
  const body = typeof raw === 'object' && raw !== null ? (raw as VonageErrorBody) : {};
  const rawCode = body['error-code'];
  const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode).trim() || undefined : undefined;
  const label = typeof body['error-code-label'] === 'string' ? body['error-code-label'].trim() : '';
  // No Retry-After is documented for Vonage (§1.4); it is read if one is ever sent.
  return codedProviderError('vonage', res, code, label, KIND_BY_CODE);
}
