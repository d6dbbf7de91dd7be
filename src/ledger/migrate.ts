import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlClient, SqlSession } from './sql-client';

/** The folder of the versioned migrations: `NNNN_name.sql`, applied in the order of their number. */
export const MIGRATIONS_DIR = join(__dirname, 'migrations');

/**
 * Key of the advisory lock held while migrating, so that instances starting together migrate one after the
 * other (the later ones find nothing left to do). Any constant that no other tool of the database uses.
 */
const MIGRATION_LOCK = 7_342_114_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE.exec(file);
      if (!m) throw new Error(`migration file ${file} is not named NNNN_name.sql`);
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: m[1], name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.version.localeCompare(b.version));
}

/**
 * Applies every migration not yet recorded in schema_migrations, each in its own transaction, under an
 * advisory lock. A recorded migration whose file changed since stops everything: the database would no
 * longer be what the files say.
 */
export async function migrate(db: SqlClient, migrations: readonly Migration[] = loadMigrations()): Promise<MigrationReport> {
  return db.withSession(async (s) => {
    await s.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await applyPending(s, migrations);
    } finally {
      await s.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

async function applyPending(s: SqlSession, migrations: readonly Migration[]): Promise<MigrationReport> {
  await s.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text        PRIMARY KEY,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await s.query<{ version: string; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations');
  const recorded = new Map(rows.map((r) => [r.version, r]));
  const known = new Set(migrations.map((m) => m.version));
  const unknown = rows.filter((r) => !known.has(r.version)).map((r) => `${r.version}_${r.name}`);
  if (unknown.length > 0) {
    throw new Error(`the database has migrations this build does not know (${unknown.join(', ')}): it was migrated by a newer version`);
  }
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const m of migrations) {
    const done = recorded.get(m.version);
    const label = `${m.version}_${m.name}`;
    if (done) {
      if (done.checksum !== m.checksum) throw new Error(`migration ${label} changed after it was applied: add a new migration instead of editing it`);
      report.alreadyApplied.push(label);
      continue;
    }
    await s.exec('BEGIN');
    try {
      await s.exec(m.sql);
      await s.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      await s.exec('COMMIT');
    } catch (e) {
      await s.exec('ROLLBACK');
      throw new Error(`migration ${label} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    report.applied.push(label);
  }
  return report;
}
