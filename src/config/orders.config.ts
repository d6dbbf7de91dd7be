import { CLIENT_ANONYMOUS, type ApiKeyEntry } from './api-keys.config';
import type { ConfigProblems, Env } from './env';
import { readInt, splitList } from './parsers';

/** Who may buy numbers, how many orders each may place, and how long an unfinished order is followed. */
export interface OrdersConfig {
  /** ORDER_CLIENTS: the clients (API key names) allowed to order and to read their orders. */
  readonly clients: readonly string[];
  /** ORDER_LIMIT_REQUESTS orders per ORDER_LIMIT_WINDOW_SECONDS for each client; 0: no limit. */
  readonly limit: { readonly requests: number; readonly windowSeconds: number };
  /** ORDER_GIVE_UP_SECONDS: after this long an order that has not finished is marked failed. */
  readonly giveUpSeconds: number;
}

export function readOrdersConfig(env: Env, problems: ConfigProblems, keys: readonly ApiKeyEntry[], authDisabled: boolean): OrdersConfig {
  const known = new Set(keys.map((k) => k.client));
  if (authDisabled) known.add(CLIENT_ANONYMOUS);
  const clients: string[] = [];
  for (const name of splitList(env.ORDER_CLIENTS)) {
    // A name no key belongs to is a typo that would forbid a client its orders without anyone noticing.
    if (!known.has(name)) {
      const names = [...known].sort().join(', ') || 'none';
      problems.add('ORDER_CLIENTS', `names "${name.slice(0, 64)}", which is not a client of API_KEYS or API_KEY_SHA256 (clients: ${names})`, `ORDER_CLIENTS=${[...known][0] ?? 'billing'}`);
      continue;
    }
    if (!clients.includes(name)) clients.push(name);
  }
  return {
    clients,
    limit: {
      requests: readInt(env, problems, 'ORDER_LIMIT_REQUESTS', 10, 0, 1_000_000, '10'),
      windowSeconds: readInt(env, problems, 'ORDER_LIMIT_WINDOW_SECONDS', 3600, 1, 86_400 * 31, '3600'),
    },
    giveUpSeconds: readInt(env, problems, 'ORDER_GIVE_UP_SECONDS', 86_400, 1, 86_400 * 365, '86400'),
  };
}
