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

export type PresentedKey =
  | { kind: 'none' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'key'; value: string };

/** Reads `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): PresentedKey {
  const auth = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (Array.isArray(auth) || Array.isArray(apiKey)) return { kind: 'malformed', reason: 'the key header was sent more than once' };
  if (auth !== undefined && auth.trim() !== '') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth.trim());
    if (m) return { kind: 'key', value: m[1] };
    if (apiKey === undefined || apiKey.trim() === '') {
      const scheme = auth.trim().split(/\s+/)[0];
      return { kind: 'malformed', reason: `the Authorization header uses "${scheme.slice(0, 20)}" instead of "Bearer <key>"` };
    }
  }
  if (apiKey !== undefined && apiKey.trim() !== '') return { kind: 'key', value: apiKey.trim() };
  return { kind: 'none' };
}
