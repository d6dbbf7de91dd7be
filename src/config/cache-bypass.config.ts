import { CLIENT_ANONYMOUS, type ApiKeyEntry } from './api-keys.config';
import type { ConfigProblems, Env } from './env';
import { splitList } from './parsers';

/**
 * CACHE_BYPASS_CLIENTS: the clients whose `Cache-Control: no-cache` is honoured. Any other client's is
 * ignored, because a bypass turns one search into a call to every carrier: left to every key holder, one
 * client could spend the carriers' capacity and rate limits that all clients share. With AUTH_DISABLED the
 * anonymous client is a client like the others: its bypass is honoured only if the list names `anonymous`.
 */
export function readCacheBypassClients(env: Env, problems: ConfigProblems, keys: readonly ApiKeyEntry[], authDisabled: boolean): readonly string[] {
  const known = new Set(keys.map((k) => k.client));
  if (authDisabled) known.add(CLIENT_ANONYMOUS);
  const clients: string[] = [];
  for (const name of splitList(env.CACHE_BYPASS_CLIENTS)) {
    // A name no key belongs to is a typo that would silently turn a client's bypass off.
    if (!known.has(name)) {
      const names = [...known].sort().join(', ') || 'none';
      problems.add(
        'CACHE_BYPASS_CLIENTS',
        `names "${name.slice(0, 64)}", which is not a client of API_KEYS or API_KEY_SHA256${authDisabled ? '' : ` (${CLIENT_ANONYMOUS} only with AUTH_DISABLED=true)`} (clients: ${names})`,
        `CACHE_BYPASS_CLIENTS=${[...known][0] ?? 'billing'}`,
      );
      continue;
    }
    if (!clients.includes(name)) clients.push(name);
  }
  return clients;
}
