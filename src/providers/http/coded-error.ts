import type { ProviderResponse } from './provider-http-client';
import { retryAfterSeconds } from './retry-after';
import { kindFromHttpStatus, PROVIDER_ERROR_KINDS, ProviderError, type ProviderErrorKind } from '../../domain/provider-error';

/** The kinds a retry may cure, as ProviderError itself judges them (one owner for that rule). */
const TRANSIENT: ReadonlySet<ProviderErrorKind> = new Set(
  PROVIDER_ERROR_KINDS.filter((kind) => new ProviderError({ provider: '-', kind, message: '' }).retryable),
);

/**
 * The kind of a carrier error, status first, then code. The HTTP status says whether the failure is
 * transient (408, 429, 5xx) or final (every other 4xx); the carrier's own code may only name the kind more
 * precisely within that class. A 4xx carrying a "try again" code (Telnyx 10007, Bandwidth 4009, Sinch
 * UNAVAILABLE) stays final: the carrier refused this request, and sending it again cannot change that. A
 * code inside a 2xx (Bandwidth reports errors in 200 bodies) is all there is to go on, so it decides.
 */
export function errorKind(status: number, codeKind: ProviderErrorKind | undefined): ProviderErrorKind {
  const byStatus = kindFromHttpStatus(status);
  if (codeKind === undefined) return byStatus;
  if (status < 400) return codeKind;
  return TRANSIENT.has(codeKind) === TRANSIENT.has(byStatus) ? codeKind : byStatus;
}

/**
 * A carrier error that names its own code: the status decides whether it is transient, the code (when the
 * carrier's table knows it) which kind it is within that (see errorKind); the message is the carrier's, cut
 * short; the wait comes from its headers.
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
    kind: errorKind(res.status, code === undefined ? undefined : kindByCode[code]),
    httpStatus: res.status,
    providerCode: code,
    message: message ? message.slice(0, 300) : `answered HTTP ${res.status}`,
    retryAfterSeconds: retryAfterSeconds((h) => res.header(h)),
  });
}
