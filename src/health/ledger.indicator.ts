import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SQL_CLIENT } from '../ledger/ledger.module';
import type { SqlClient } from '../ledger/sql-client';
import type { ReadinessContributor } from './readiness';

/** Longest a readiness probe waits for the ledger's answer. */
const PROBE_MS = 2000;

/**
 * The orders ledger's state in /health/ready. Not critical: searches do not need it, so its outage shows in the
 * body (orders then fail with a 500 until it is back) while readiness stays 200.
 */
@Injectable()
export class LedgerIndicator implements ReadinessContributor {
  readonly key = 'ledger';
  readonly critical = false;

  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(SQL_CLIENT) private readonly db: SqlClient | undefined,
  ) {}

  async check() {
    const session = this.indicator.check(this.key);
    if (!this.db) return session.up({ note: 'ordering is off (ORDER_CLIENTS and DATABASE_URL are not set)' });
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_MS} ms`)), PROBE_MS))),
      ]);
      return session.up({ kind: this.db.kind, pingMs: Math.round((performance.now() - started) * 10) / 10 });
    } catch (e) {
      return session.down({ kind: this.db.kind, lastError: e instanceof Error ? e.message.slice(0, 200) : String(e), effect: 'orders cannot be placed or read' });
    } finally {
      clearTimeout(timer);
    }
  }
}
