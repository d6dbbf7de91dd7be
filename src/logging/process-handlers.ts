import type { Logger } from 'pino';
import { flushLogsSync } from './stdout-destination';

/**
 * What happens to the process on a fatal error, with the logs in mind: an uncaught exception or an
 * unhandled promise rejection is logged as one fatal line with its stack, every buffered line is written
 * synchronously, and the process exits 1 (a rejection nobody handled is a bug, as Node itself treats it).
 * Any other exit (SIGTERM's process.exit, start-up failures) writes the buffered lines too.
 *
 * `logger` is the application's root logger once there is one (its lines are scrubbed of secrets);
 * before that, the fatal line goes to stderr as plain JSON.
 */
export function installProcessLogHandlers(logger: () => Logger | undefined): void {
  const fatal = (err: unknown, msg: string) => {
    const root = logger();
    try {
      if (root) root.fatal({ err }, msg);
      else process.stderr.write(`${JSON.stringify({ level: 'fatal', msg, err: err instanceof Error ? err.stack : String(err) })}\n`);
    } finally {
      flushLogsSync();
      process.exit(1);
    }
  };
  process.on('uncaughtException', (err) => fatal(err, 'uncaught exception: the process exits'));
  process.on('unhandledRejection', (reason) => fatal(reason, 'unhandled promise rejection: the process exits'));
  process.on('exit', flushLogsSync);
}
