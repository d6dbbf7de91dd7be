import type { LedgerConfig } from '../config/ledger.config';
import { PgSqlClient } from './pg-sql-client';
import { PgliteSqlClient } from './pglite-sql-client';
import type { SqlClient } from './sql-client';

/** The database the configuration names: PostgreSQL at DATABASE_URL, or PGlite in process. */
export async function openSqlClient(config: LedgerConfig, onIdleError: (e: Error) => void): Promise<SqlClient> {
  return config.kind === 'postgres' ? new PgSqlClient(config.url, onIdleError) : PgliteSqlClient.open(config.dir);
}

/** The database named for a person, without its password. */
export function describeLedger(config: LedgerConfig): string {
  if (config.kind === 'pglite') return config.dir === undefined ? 'embedded PostgreSQL (PGlite) in memory' : `embedded PostgreSQL (PGlite) in ${config.dir}`;
  try {
    const url = new URL(config.url);
    return `PostgreSQL at ${url.hostname || url.searchParams.get('host') || 'localhost'}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
