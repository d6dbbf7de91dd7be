import type { ConfigProblems, Env } from './env';

/**
 * Where the orders ledger lives: PostgreSQL at DATABASE_URL, or, where none is set (the demo, a laptop), an
 * embedded PostgreSQL (PGlite) in this process, in memory unless PGLITE_DIR names a folder. Both run the same
 * SQL (src/ledger/migrations).
 */
export type LedgerConfig =
  | { readonly kind: 'postgres'; readonly url: string; readonly password?: string }
  | { readonly kind: 'pglite'; readonly dir?: string };

const URL_EXAMPLE = 'DATABASE_URL=postgres://numbers:secret@db.internal:5432/numbers';

export function readLedgerConfig(env: Env, problems: ConfigProblems): LedgerConfig {
  const raw = (env.DATABASE_URL ?? '').trim();
  const dir = (env.PGLITE_DIR ?? '').trim();
  if (raw === '') return dir === '' ? { kind: 'pglite' } : { kind: 'pglite', dir };
  if (dir !== '') problems.add('PGLITE_DIR', 'is set together with DATABASE_URL: the ledger is either PostgreSQL or the embedded one', 'PGLITE_DIR= (unset it)');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The value is not quoted: it may hold a password.
    problems.add('DATABASE_URL', 'is not a URL', URL_EXAMPLE);
    return { kind: 'postgres', url: raw };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    problems.add('DATABASE_URL', `must start with postgres:// or postgresql://, got "${url.protocol}//"`, URL_EXAMPLE);
  } else if (url.hostname === '' && !url.searchParams.has('host')) {
    problems.add('DATABASE_URL', 'names no host', URL_EXAMPLE);
  }
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  return { kind: 'postgres', url: raw, ...(password !== undefined ? { password } : {}) };
}
