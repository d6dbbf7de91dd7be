import { randomUUID } from 'node:crypto';
import { type EmuResponse, json } from '../core/carrier';

/** What Plivo's search and its number calls share: error bodies, the account rate limit, country names. */
export const DEFAULT_RATE_LIMIT = { requests: 300, windowMs: 5000 };

export const COUNTRY_NAMES: Record<string, string> = {
  US: 'UNITED STATES',
  CA: 'CANADA',
  GB: 'UNITED KINGDOM',
  DE: 'GERMANY',
  AU: 'AUSTRALIA',
};

/** Per server (keyed by its credentials object, which lives as long as the server): auth id → request times. */
const windows = new WeakMap<object, Map<string, number[]>>();

export const apiError = (status: number, message: string, headers: Record<string, string> = {}): EmuResponse =>
  json(status, { api_id: randomUUID(), error: message }, headers);
// 401 bodies carry no api_id ([P-PHP-401]).
export const unauthorised = (message: string) => json(401, { error: message });
export const NOT_PROVIDED = 'authentication credentials were not provided';
export const AUTH_FAILED = 'authentication failed';

export function titleCase(s: string): string {
  return s.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase());
}

/** Counts an authenticated request in the account's sliding window; the wait in seconds when over it. */
export function overLimit(credentials: object, authId: string, option: unknown): number | undefined {
  const o = (typeof option === 'object' && option !== null ? option : {}) as { requests?: number; windowMs?: number };
  const requests = o.requests ?? DEFAULT_RATE_LIMIT.requests;
  const windowMs = o.windowMs ?? DEFAULT_RATE_LIMIT.windowMs;
  let perAccount = windows.get(credentials);
  if (!perAccount) windows.set(credentials, (perAccount = new Map()));
  const now = Date.now();
  const log = (perAccount.get(authId) ?? []).filter((t) => t > now - windowMs);
  perAccount.set(authId, log);
  if (log.length >= requests) return Math.max(1, Math.ceil((log[0] + windowMs - now) / 1000));
  log.push(now);
  return undefined;
}
