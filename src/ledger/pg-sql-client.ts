import { Pool, type PoolClient } from 'pg';
import type { SqlClient, SqlRows, SqlSession } from './sql-client';

/** How long a statement may run before PostgreSQL cancels it: a hung database must not hang requests. */
const STATEMENT_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * PostgreSQL through a `pg` pool. Connection errors of idle pooled connections (a restarted server) are
 * reported to `onIdleError` instead of crashing the process; the pool opens a new connection on next use.
 */
export class PgSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;

  constructor(connectionString: string, onIdleError: (e: Error) => void, max = 10) {
    this.pool = new Pool({
      connectionString,
      max,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      application_name: 'numbers-gateway',
    });
    this.pool.on('error', onIdleError);
  }

  async query<T>(text: string, params: readonly unknown[] = []): Promise<SqlRows<T>> {
    const result = await this.pool.query(text, params as unknown[]);
    return { rows: result.rows as T[] };
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await work(sessionOf(client));
    } catch (e) {
      // A session that failed may be left inside a transaction or holding a lock: it is not put back.
      broken = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function sessionOf(client: PoolClient): SqlSession {
  return {
    query: async <T>(text: string, params: readonly unknown[] = []) => ({ rows: (await client.query(text, params as unknown[])).rows as T[] }),
    exec: async (script: string) => {
      await client.query(script);
    },
  };
}
