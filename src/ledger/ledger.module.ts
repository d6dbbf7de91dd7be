import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { ROOT_LOGGER } from '../logging/logging.module';
import { migrate } from './migrate';
import { describeLedger, openSqlClient } from './open-sql-client';
import { NO_LEDGER, ORDER_LEDGER, type OrderLedger } from './order-ledger';
import type { SqlClient } from './sql-client';
import { SqlOrderLedger } from './sql-order-ledger';

/** The injection token of the open database of the ledger (undefined where ordering is off). */
export const SQL_CLIENT = Symbol('SQL_CLIENT');

/** Closes the database once everything that uses it has stopped (the HTTP server, the reconciler). */
@Injectable()
class LedgerConnection implements OnApplicationShutdown {
  constructor(@Inject(SQL_CLIENT) private readonly db: SqlClient | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db?.close();
  }
}

/**
 * Ordering needs the ledger: when a client may order (ORDER_CLIENTS), or when a ledger is configured
 * (DATABASE_URL, whose held numbers every search must hide). Otherwise no database is opened at all.
 */
export function orderingEnabled(config: AppConfig): boolean {
  return config.orders.clients.length > 0 || config.ledger.kind === 'postgres';
}

/**
 * The orders ledger: the database opened once at start-up (PostgreSQL at DATABASE_URL, PGlite otherwise),
 * migrated before the service takes a request (instances starting together take turns under an advisory
 * lock), and the repository over it.
 */
@Global()
@Module({
  providers: [
    {
      provide: SQL_CLIENT,
      inject: [APP_CONFIG, ROOT_LOGGER],
      useFactory: async (config: AppConfig, root: Logger): Promise<SqlClient | undefined> => {
        const logger = root.child({ context: 'ledger' });
        if (!orderingEnabled(config)) {
          logger.info('ORDER_CLIENTS and DATABASE_URL are not set: ordering is off, no orders ledger is opened');
          return undefined;
        }
        const where = describeLedger(config.ledger);
        const db = await openSqlClient(config.ledger, (e) => logger.warn({ err: e.message }, 'an idle connection to the orders ledger failed; the next query opens a new one'));
        try {
          const report = await migrate(db);
          logger.info({ ledger: where, applied: report.applied, alreadyApplied: report.alreadyApplied.length }, `orders ledger: ${where}, ${report.applied.length} migration(s) applied`);
        } catch (e) {
          await db.close().catch(() => undefined);
          throw new Error(`the orders ledger (${where}) could not be opened and migrated: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (config.ledger.kind === 'pglite' && config.ledger.dir === undefined) {
          logger.warn('DATABASE_URL is not set: orders are kept in an embedded database in memory and are lost when the process stops (set PGLITE_DIR to keep them, DATABASE_URL for several instances)');
        }
        return db;
      },
    },
    LedgerConnection,
    { provide: ORDER_LEDGER, inject: [SQL_CLIENT], useFactory: (db: SqlClient | undefined): OrderLedger => (db ? new SqlOrderLedger(db) : NO_LEDGER) },
  ],
  exports: [ORDER_LEDGER, SQL_CLIENT],
})
export class LedgerModule {}
