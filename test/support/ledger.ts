import { Client } from 'pg';
import type { LedgerConfig } from '../../src/config/ledger.config';
import { openSqlClient } from '../../src/ledger/open-sql-client';
import type { SqlClient } from '../../src/ledger/sql-client';

/** The shared PostgreSQL of the tests (trust auth); each test file makes databases of its own in it. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A database of the test's own on the shared server, dropped at the end: tests running at the same time (other
 * files, other developers) never see each other's orders or migrations.
 */
export class TestDatabase {
  private constructor(readonly name: string) {}

  static async create(label: string): Promise<TestDatabase> {
    const name = `ng_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    return new TestDatabase(name);
  }

  get url(): string {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${this.name}`;
    return url.toString();
  }

  async drop(): Promise<void> {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One of the two databases the ledger runs on, fresh for a test file. */
export interface LedgerBackend {
  readonly name: 'postgres' | 'pglite';
  /** What DATABASE_URL / PGLITE_DIR the service would be given. */
  readonly env: Record<string, string>;
  readonly config: LedgerConfig;
  /** A new client of this database (PGlite: the same in-process database each time is not possible; one only). */
  open(): Promise<SqlClient>;
  cleanup(): Promise<void>;
}

export async function postgresBackend(label: string): Promise<LedgerBackend> {
  const db = await TestDatabase.create(label);
  return {
    name: 'postgres',
    env: { DATABASE_URL: db.url },
    config: { kind: 'postgres', url: db.url },
    open: () => openSqlClient({ kind: 'postgres', url: db.url }, () => undefined),
    cleanup: () => db.drop(),
  };
}

export function pgliteBackend(dir?: string): LedgerBackend {
  const config: LedgerConfig = dir === undefined ? { kind: 'pglite' } : { kind: 'pglite', dir };
  return {
    name: 'pglite',
    env: dir === undefined ? {} : { PGLITE_DIR: dir },
    config,
    open: () => openSqlClient(config, () => undefined),
    cleanup: async () => undefined,
  };
}

/** Both databases, for suites parametrised over them (`describe.each(LEDGER_BACKENDS)`). */
export const LEDGER_BACKENDS = ['postgres', 'pglite'] as const;

export function backend(name: (typeof LEDGER_BACKENDS)[number], label: string, dir?: string): Promise<LedgerBackend> {
  return name === 'postgres' ? postgresBackend(label) : Promise.resolve(pgliteBackend(dir));
}
