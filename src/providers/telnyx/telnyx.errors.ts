import type { ProviderResponse } from '../http/provider-http-client';
import { codedProviderError } from '../http/coded-error';
import type { ProviderError, ProviderErrorKind } from '../../domain/provider-error';
import { unreadableErrorBody } from '../http/unreadable-body';
import type { TelnyxErrorBody } from './telnyx.types';

/**
 * Telnyx error codes are strings of digits in errors[0].code (telnyx-twilio.md §1.5). The account-level
 * 20xxx codes come from Telnyx's messaging error list; a search may never return them, but if it does,
 * they say more than a 4xx status does. The status still decides whether a failure is transient
 * (coded-error.ts errorKind): 10007 "Unexpected error" on a 4xx is a refused request, not an outage.
 */
const KIND_BY_CODE: Readonly<Record<string, ProviderErrorKind>> = {
  '10009': 'auth_failed', // Authentication failed
  '10010': 'auth_failed', // Authorization failed
  '20002': 'auth_failed', // API key revoked
  '20006': 'auth_failed', // Expired access token
  '10011': 'rate_limited', // Too many requests
  '10015': 'invalid_request', // Bad Request
  '10004': 'invalid_request', // Missing required parameter
  '10005': 'invalid_request', // Resource not found
  '10007': 'unavailable', // Unexpected error
  '10008': 'timeout', // Request timeout
  '20012': 'insufficient_funds', // Account inactive (possibly insufficient funds)
  '20100': 'insufficient_funds', // Insufficient funds
  '20013': 'account_suspended', // Account blocked
  '20014': 'account_suspended', // Account unverified
};

export function telnyxError(res: ProviderResponse): ProviderError {
  const body = res.jsonOrUndefined() as TelnyxErrorBody | undefined;
  if (body === undefined && res.body.trim() !== '') return unreadableErrorBody('telnyx', res);
  const first = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  const code = first?.code !== undefined && first.code !== null ? String(first.code) : undefined;
  const text = [first?.title, first?.detail].filter((s) => typeof s === 'string' && s !== '').join(': ');
  return codedProviderError('telnyx', res, code, text, KIND_BY_CODE);
}
