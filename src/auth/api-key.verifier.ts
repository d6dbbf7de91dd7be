import { timingSafeEqual } from 'node:crypto';
import { sha256, type ApiKeyEntry } from '../config/api-keys.config';

/**
 * Finds the client a presented key belongs to. Keys are compared as SHA-256 digests with timingSafeEqual,
 * and every configured key is compared every time, so the time taken says nothing about which key, or how
 * much of one, matched.
 */
export class ApiKeyVerifier {
  constructor(private readonly keys: readonly ApiKeyEntry[]) {}

  clientFor(presented: string): string | undefined {
    const digest = sha256(presented);
    let client: string | undefined;
    for (const entry of this.keys) {
      if (timingSafeEqual(digest, entry.sha256) && client === undefined) client = entry.client;
    }
    return client;
  }
}

/** The header a key came in. */
export type KeyHeader = 'Authorization' | 'X-API-Key';

/**
 * What the request presented. `reason` is written for the caller and never quotes what was sent: a key
 * pasted without its scheme would otherwise be echoed back into a body that proxies and clients log.
 */
export type PresentedCredentials =
  | { kind: 'none' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'keys'; keys: { header: KeyHeader; value: string }[] };

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Reads `Authorization: Bearer <key>` and `X-API-Key: <key>`. Both may be sent; the guard then requires
 * them to agree. An Authorization header that is not a Bearer key is refused even next to a valid
 * X-API-Key: a credential the service cannot read is not silently outvoted by another.
 */
export function presentedCredentials(headers: Record<string, string | string[] | undefined>): PresentedCredentials {
  const auth = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (Array.isArray(auth)) return { kind: 'malformed', reason: 'the Authorization header was sent more than once' };
  if (Array.isArray(apiKey)) return { kind: 'malformed', reason: 'the X-API-Key header was sent more than once' };
  const keys: { header: KeyHeader; value: string }[] = [];
  if (auth !== undefined && auth.trim() !== '') {
    const bearer = BEARER.exec(auth.trim());
    if (!bearer) {
      return { kind: 'malformed', reason: 'the Authorization header does not have the form "Bearer <key>"' };
    }
    keys.push({ header: 'Authorization', value: bearer[1] });
  }
  if (apiKey !== undefined && apiKey.trim() !== '') keys.push({ header: 'X-API-Key', value: apiKey.trim() });
  return keys.length === 0 ? { kind: 'none' } : { kind: 'keys', keys };
}
