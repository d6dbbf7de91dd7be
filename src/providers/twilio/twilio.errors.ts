import type { ProviderResponse } from '../http/provider-http-client';
import { codedProviderError } from '../http/coded-error';
import { unreadableErrorBody } from '../http/unreadable-body';
import type { ProviderError, ProviderErrorKind } from '../../domain/provider-error';
import type { TwilioErrorBody } from './twilio.types';

/** Twilio error codes that say more than the HTTP status (telnyx-twilio.md §2.4). */
const KIND_BY_CODE: Readonly<Record<string, ProviderErrorKind>> = {
  '20003': 'auth_failed', // Permission denied / authenticate (also suspended or closed accounts)
  '20008': 'auth_failed', // Test credentials cannot access this resource
  '20005': 'account_suspended', // Account not active
  '10001': 'account_suspended', // Account is not active
  '20429': 'rate_limited', // Too many requests
  '20500': 'unavailable', // Internal server error
  '20503': 'unavailable', // Service unavailable
  '21451': 'invalid_request', // Invalid area code
};

/** Maps a non-2xx answer in the flat `{code, message, more_info, status}` format. */
export function twilioCompatibleError(provider: string, res: ProviderResponse): ProviderError {
  const body = res.jsonOrUndefined() as TwilioErrorBody | undefined;
  if (body === undefined && res.body.trim() !== '') return unreadableErrorBody(provider, res);
  const code = body?.code !== undefined && body.code !== null ? String(body.code) : undefined;
  return codedProviderError(provider, res, code, typeof body?.message === 'string' ? body.message : undefined, KIND_BY_CODE);
}
