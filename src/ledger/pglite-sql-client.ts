import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlRows, SqlSession } from './sql-client';

/**
 * PostgreSQL in this process (PGlite), in memory or in a folder (PGLITE_DIR): the ledger of the demo and of a
 * laptop, running the same SQL as PostgreSQL. PGlite has one connection; a session (a migration's lock and
 * transactions) holds it alone, so no other statement slips into its transaction.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  /** The tail of the queue of work on the one connection. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: PGlite) {}

  static async open(dir?: string): Promise<PgliteSqlClient> {
    const db = await PGlite.create(dir === undefined ? {} : { dataDir: dir });
    return new PgliteSqlClient(db);
  }

  query<T>(text: string, params: readonly unknown[] = []): Promise<SqlRows<T>> {
    return this.exclusive(async () => ({ rows: (await this.db.query<T>(text, params as unknown[])).rows }));
  }

  exec(script: string): Promise<void> {
    return this.exclusive(async () => {
      await this.db.exec(script);
    });
  }

  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const session: SqlSession = {
      query: async <R>(text: string, params: readonly unknown[] = []) => ({ rows: (await this.db.query<R>(text, params as unknown[])).rows }),
      exec: async (script: string) => {
        await this.db.exec(script);
      },
    };
    return this.exclusive(() => work(session));
  }

  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    if (!this.db.closed) await this.db.close();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
