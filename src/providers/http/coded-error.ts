import type { ProviderResponse } from './provider-http-client';
import { retryAfterSeconds } from './retry-after';
import { kindFromHttpStatus, ProviderError, type ProviderErrorKind } from '../../domain/provider-error';

/**
 * A carrier error that names its own code: the code decides the kind when the carrier's table knows it,
 * the HTTP status otherwise; the message is the carrier's, cut short; the wait comes from its headers.
 */
export function codedProviderError(
  provider: string,
  res: ProviderResponse,
  code: string | undefined,
  message: string | undefined,
  kindByCode: Readonly<Record<string, ProviderErrorKind>>,
): ProviderError {
  return new ProviderError({
    provider,
    kind: (code && kindByCode[code]) || kindFromHttpStatus(res.status),
    httpStatus: res.status,
    providerCode: code,
    message: message ? message.slice(0, 300) : `answered HTTP ${res.status}`,
    retryAfterSeconds: retryAfterSeconds((h) => res.header(h)),
  });
}
