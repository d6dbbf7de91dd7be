/**
 * The few things the ledger asks of a PostgreSQL database, whichever runs it: PostgreSQL itself through `pg`,
 * or PGlite (PostgreSQL compiled to WebAssembly) in this process. Everything above speaks SQL through this and
 * never learns which one it is.
 */
export interface SqlRows<T> {
  readonly rows: T[];
}

export interface SqlSession {
  /** One statement with $1… parameters. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlRows<T>>;
  /** A script of several statements without parameters (a migration file). */
  exec(script: string): Promise<void>;
}

export interface SqlClient extends SqlSession {
  /** Which database this is, for logs and errors ('postgres' or 'pglite'). */
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `work` on one connection that nobody else uses meanwhile: what needs the same session (an advisory
   * lock, BEGIN … COMMIT) goes through the session it is handed.
   */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATE of a unique violation, and the constraint it names (the same from pg and PGlite). */
export function uniqueViolation(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, constraint } = e as { code?: unknown; constraint?: unknown };
  return code === '23505' && typeof constraint === 'string' ? constraint : undefined;
}
