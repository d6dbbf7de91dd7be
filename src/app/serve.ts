import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { ROOT_LOGGER } from '../logging/logging.module';
import { installProcessLogHandlers } from '../logging/process-handlers';
import { flushLogsSync } from '../logging/stdout-destination';
import type { ProviderDefinition } from '../providers/provider-definition';
import { createApp, listenManagement } from './create-app';

/** The running service's root logger, once there is one: fatal process errors are logged through it. */
let logger: Logger | undefined;

/**
 * Fatal errors (uncaught exceptions, unhandled rejections) are logged and flushed before the process exits,
 * through the root logger once the service has one and as plain JSON on stderr before that. Installed
 * first thing at start-up, so a failure while the configuration is read is reported the same way.
 */
export function watchProcess(): void {
  installProcessLogHandlers(() => logger);
}

/**
 * Builds the service from a validated configuration, listens on the API's port and the management port,
 * and stops on SIGTERM or SIGINT: stop accepting, let in-flight requests finish (a search lasts at most
 * REQUEST_TIMEOUT_MS, so the grace defaults to a second more), close Redis and the rest, exit 0. Past the
 * grace (SHUTDOWN_GRACE_MS): exit 1.
 */
export async function serve(config: AppConfig<ProviderDefinition>): Promise<void> {
  const app = await createApp(config);
  logger = app.get<Logger>(ROOT_LOGGER);
  await app.listen({ port: config.port, host: config.host });
  try {
    await listenManagement(app);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new Error(`the management listener could not listen on ${config.management?.host}:${config.management?.port} (${reason}): set MANAGEMENT_PORT to a free port`);
  }

  const grace = config.shutdownGraceMs;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger?.info({ signal, graceMs: grace }, `${signal}: finishing in-flight requests, then stopping`);
    const force = setTimeout(() => {
      logger?.error({ signal, graceMs: grace }, `requests were still running ${grace} ms after ${signal} (SHUTDOWN_GRACE_MS): exiting anyway`);
      flushLogsSync();
      process.exit(1);
    }, grace);
    force.unref();
    app
      .close()
      .then(() => {
        logger?.info({ signal }, `stopped on ${signal}`);
        flushLogsSync();
        process.exit(0);
      })
      .catch((e: unknown) => {
        logger?.error({ err: e }, `shutdown on ${signal} failed`);
        flushLogsSync();
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
