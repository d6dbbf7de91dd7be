import 'reflect-metadata';
import { ConfigError, ConfigProblemList } from './config/config-problems';
import { readLedgerConfig } from './config/ledger.config';
import { migrate } from './ledger/migrate';
import { describeLedger, openSqlClient } from './ledger/open-sql-client';

/**
 * `npm run migrate` (in the image: `node dist/migrate.js`): applies the orders ledger's migrations to
 * DATABASE_URL (or the PGlite folder PGLITE_DIR) and exits, for deployments that migrate before rolling out.
 * The service migrates at start-up too, under the same advisory lock.
 */
async function main(): Promise<void> {
  const problems = new ConfigProblemList();
  const config = readLedgerConfig(process.env, problems);
  if (!problems.empty) throw new ConfigError(problems.lines());
  if (config.kind === 'pglite' && config.dir === undefined) {
    throw new ConfigError(['DATABASE_URL is not set (nor PGLITE_DIR): there is no database to migrate (example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/numbers)']);
  }
  const where = describeLedger(config);
  const db = await openSqlClient(config, () => undefined);
  try {
    const report = await migrate(db);
    process.stdout.write(
      report.applied.length > 0
        ? `${where}: applied ${report.applied.join(', ')} (${report.alreadyApplied.length} already applied)\n`
        : `${where}: up to date (${report.alreadyApplied.length} migration(s) applied before)\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) for (const line of e.lines) process.stderr.write(`configuration error: ${line}\n`);
  else process.stderr.write(`migration failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
