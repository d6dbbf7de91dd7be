import 'reflect-metadata';
import type { Logger } from 'pino';
import { ConfigError } from './config/config-problems';
import { loadConfig } from './config/app-config';
import { createApp, listenManagement } from './create-app';
import { ROOT_LOGGER } from './logging/logging.module';
import { installProcessLogHandlers } from './logging/process-handlers';
import { flushLogsSync } from './logging/stdout-destination';

let logger: Logger | undefined;
installProcessLogHandlers(() => logger);

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const line of e.lines) process.stderr.write(`configuration error: ${line}\n`);
      process.exit(1);
    }
    throw e;
  }
  const app = await createApp(config);
  logger = app.get<Logger>(ROOT_LOGGER);
  await app.listen({ port: config.port, host: config.host });
  try {
    await listenManagement(app);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new Error(`the management listener could not listen on ${config.management?.host}:${config.management?.port} (${reason}): set MANAGEMENT_PORT to a free port`);
  }

  // SIGTERM: stop accepting, let in-flight requests finish (a search lasts at most REQUEST_TIMEOUT_MS, so
  // the grace defaults to a second more), close Redis and the rest, exit 0. Past the grace: exit 1.
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

void main().catch((e: unknown) => {
  process.stderr.write(`start-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
