import pino from 'pino';

/** Longest a logged line waits in the buffer before it is written to stdout. */
export const LOG_FLUSH_INTERVAL_MS = 250;
/** Lines are gathered into writes of at least this size under load (below sonic-boom's 16 KiB write cap). */
const WRITE_SIZE = 12 * 1024;

type Destination = ReturnType<typeof pino.destination>;
let stdout: Destination | undefined;

/**
 * The process's one stdout destination for log lines (one, however many loggers or applications write
 * to it, so their lines never interleave inside a write). Under load lines are gathered into 12 KiB writes,
 * one write(2) per forty lines instead of one each, which is most of what logging costs a cache hit; a
 * timer (unref'd: it never keeps the process alive) writes whatever is buffered every
 * LOG_FLUSH_INTERVAL_MS, so on a quiet service a request's line arrives at once instead of waiting for
 * more traffic to fill the buffer; flushLogsSync() writes the rest on fatal errors and at exit.
 */
export function stdoutDestination(): Destination {
  stdout ??= pino.destination({ dest: 1, sync: false, minLength: WRITE_SIZE, periodicFlush: LOG_FLUSH_INTERVAL_MS });
  return stdout;
}

/** Writes every buffered line now, synchronously: for fatal-error handlers and process exit. */
export function flushLogsSync(): void {
  if (!stdout) return;
  try {
    stdout.flushSync();
  } catch {
    // stdout is closed (or the destination destroyed): there is nowhere left to write to.
  }
}
