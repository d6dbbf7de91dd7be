/** Readers of the response headers the document describes; each returns undefined for an absent or malformed value. */

export function trackingIdOf(headers: Headers): string | undefined {
  return headers.get('x-tracking-id') ?? undefined;
}

/** `Retry-After` as whole seconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSecondsOf(headers: Headers, now: number = Date.now()): number | undefined {
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The caller's usage window, sent when the service has a usage limit set. */
export interface RateLimit {
  /** Searches allowed per window. */
  readonly limit: number;
  /** Searches left in the current window. */
  readonly remaining: number;
  /** Seconds until the current window ends. */
  readonly resetSeconds: number;
}

export function rateLimitOf(headers: Headers): RateLimit | undefined {
  const limit = wholeNumber(headers.get('x-ratelimit-limit'));
  const remaining = wholeNumber(headers.get('x-ratelimit-remaining'));
  const resetSeconds = wholeNumber(headers.get('x-ratelimit-reset'));
  if (limit === undefined || remaining === undefined || resetSeconds === undefined) return undefined;
  return { limit, remaining, resetSeconds };
}

/** Whether a search answer came from the service's cache (X-Cache). */
export type CacheStatus = 'HIT' | 'MISS' | 'STALE';

export function cacheStatusOf(headers: Headers): CacheStatus | undefined {
  const raw = headers.get('x-cache')?.trim().toUpperCase();
  return raw === 'HIT' || raw === 'MISS' || raw === 'STALE' ? raw : undefined;
}

/** One carrier that failed while others answered: its name and the normalised failure kind. */
export interface ProviderErrorNote {
  readonly provider: string;
  /** auth_failed, rate_limited, timeout, unavailable, ... */
  readonly code: string;
}

/** X-Provider-Errors of a partial answer: `twilio=rate_limited, vonage=timeout`. */
export function providerErrorsOf(headers: Headers): ProviderErrorNote[] | undefined {
  const raw = headers.get('x-provider-errors');
  if (!raw) return undefined;
  const notes: ProviderErrorNote[] = [];
  for (const pair of raw.split(',')) {
    const [provider, code] = pair.split('=').map((s) => s.trim());
    if (provider && code) notes.push({ provider, code });
  }
  return notes.length > 0 ? notes : undefined;
}

function wholeNumber(raw: string | null): number | undefined {
  const value = raw?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}
