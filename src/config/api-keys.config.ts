import { createHash } from 'node:crypto';
import type { ConfigProblems, Env } from './env';
import { splitList } from './parsers';

/** One caller: its name (used for usage limits and logs) and the SHA-256 of its key. */
export interface ApiKeyEntry {
  client: string;
  sha256: Buffer;
  /** The plain key when it came from API_KEYS, kept only so log lines can be scrubbed of it. */
  plain?: string;
}

/** The client a request is attributed to when AUTH_DISABLED lets it in without a key. */
export const CLIENT_ANONYMOUS = 'anonymous';

const CLIENT_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Shortest key accepted. Keys are bearer secrets compared by digest; a short one can be guessed or read
 * off a screen, and 16 characters of a random key is 80 bits and more.
 */
export const MIN_KEY_LENGTH = 16;

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Reads API_KEYS (client:key) and API_KEY_SHA256 (client:hex) pairs. */
export function readApiKeys(env: Env, problems: ConfigProblems): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  for (const [index, pair] of splitList(env.API_KEYS).entries()) {
    const i = pair.indexOf(':');
    const client = i > 0 ? pair.slice(0, i).trim() : '';
    const key = i > 0 ? pair.slice(i + 1).trim() : '';
    if (!CLIENT_NAME.test(client) || key.length < MIN_KEY_LENGTH) {
      // The entry is named by its position and client only: the line must not print the key.
      problems.add(
        'API_KEYS',
        `has an entry that is not client:key with a client name of letters, digits, . _ - and a key of at least ${MIN_KEY_LENGTH} characters (entry ${index + 1}${CLIENT_NAME.test(client) ? `, client ${client}` : ''})`,
        'API_KEYS=billing:k_live_4f9a2c7e1b8d3f60,crm:k_live_9e1b7c3a5d2f8e04',
      );
      continue;
    }
    entries.push({ client, sha256: sha256(key), plain: key });
  }
  for (const pair of splitList(env.API_KEY_SHA256)) {
    const i = pair.indexOf(':');
    const client = i > 0 ? pair.slice(0, i).trim() : '';
    const hex = i > 0 ? pair.slice(i + 1).trim().toLowerCase() : '';
    if (!CLIENT_NAME.test(client) || !/^[0-9a-f]{64}$/.test(hex)) {
      problems.add(
        'API_KEY_SHA256',
        `has an entry that is not client:<64 hex digits of sha256(key)> (entry ${pair.slice(0, Math.max(0, i)) || '?'})`,
        'API_KEY_SHA256=billing:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      );
      continue;
    }
    entries.push({ client, sha256: Buffer.from(hex, 'hex') });
  }
  return entries;
}
