import type { ProviderError, ProviderErrorKind } from '../../domain/provider-error';
import { AppError } from '../../errors/app-error';

/** `twilio=rate_limited, vonage=timeout`: the X-Provider-Errors header of a partial answer. */
export function providerErrorsHeader(failures: readonly ProviderError[]): string | undefined {
  if (failures.length === 0) return undefined;
  return failures.map((f) => `${f.provider}=${f.kind}`).join(', ');
}

/** What the caller (or the platform team) can do about a carrier failure of each kind. */
export function fixFor(failure: ProviderError, credentialVariables: readonly string[]): string {
  const p = failure.provider;
  switch (failure.kind) {
    case 'auth_failed':
      return `The credentials of ${p} were rejected: the platform team should check ${credentialVariables.join(' and ') || `the ${p} credentials`}.`;
    case 'insufficient_funds':
      return `The ${p} account has insufficient funds: the platform team should top it up. Retry later.`;
    case 'account_suspended':
      return `The ${p} account is suspended or inactive: the platform team should contact ${p}. Retry later.`;
    case 'rate_limited':
      return failure.retryAfterSeconds !== undefined
        ? `${p} is rate limiting searches: retry after ${failure.retryAfterSeconds} seconds.`
        : `${p} is rate limiting searches: retry in a few seconds.`;
    case 'circuit_open':
      return `Calls to ${p} are paused after repeated failures: retry after ${failure.retryAfterSeconds ?? 30} seconds.`;
    case 'overloaded':
      return `Too many searches are waiting on ${p}: retry in a few seconds.`;
    case 'timeout':
      return `${p} did not answer in time: retry in a few seconds.`;
    case 'unavailable':
      return `${p} is unavailable: retry in a few seconds.`;
    case 'bad_response':
      return `${p} sent an answer that could not be read: retry later; if it persists, report the trackingId.`;
    case 'invalid_request':
      return `${p} rejected the search: check that areaCode belongs to countryCode and that ${p} offers this phoneNumberType there.`;
    case 'adapter_error':
      return `The ${p} integration failed unexpectedly: report the trackingId to the platform team.`;
    default: {
      const never: never = failure.kind;
      return never;
    }
  }
}

/** Kinds whose failures clear by themselves: a 502 made only of these carries Retry-After. */
const TRANSIENT: ReadonlySet<ProviderErrorKind> = new Set(['rate_limited', 'timeout', 'unavailable', 'circuit_open', 'overloaded']);

/**
 * The 502 for a search on which every eligible carrier failed. `failures` is in priority order: the first
 * names the provider, code and message; every failure is listed in `providers`.
 */
export function totalFailureError(
  failures: readonly ProviderError[],
  credentialVariables: (provider: string) => readonly string[],
): AppError {
  const top = failures[0];
  const headers: Record<string, string> = {};
  if (failures.every((f) => TRANSIENT.has(f.kind))) {
    const waits = failures.map((f) => f.retryAfterSeconds ?? 1);
    headers['retry-after'] = String(Math.max(1, Math.min(...waits)));
  }
  return new AppError(
    'provider_error',
    `Every provider failed; ${top.provider} (${top.kind}): ${top.message}`,
    {
      fix: fixFor(top, credentialVariables(top.provider)),
      provider: top.provider,
      ...(top.providerCode !== undefined && { providerCode: top.providerCode }),
      providers: failures.map((f) => ({
        provider: f.provider,
        code: f.kind,
        ...(f.providerCode !== undefined && { providerCode: f.providerCode }),
        message: f.message,
      })),
    },
    headers,
  );
}
