import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { requestAndTraceLogFields, requestLogFields } from './request-context';
import { SecretScrubber } from '../secrets/secret-scrubber';
import { stdoutDestination } from './stdout-destination';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** The `service` field of every log line. */
export const SERVICE_NAME = 'numbers-gateway';

/**
 * JSON lines via pino. No line ever holds request headers (the request line has method, path, status,
 * duration and trackingId only), and every configured secret (API keys, carrier credentials) is scrubbed
 * from each line by value before it is written. Path-based redaction is not used: it cost more per line
 * than the rest of a cache hit and protects only the paths it names.
 * nestjs-pino provides the Nest logger and PinoLogger over this root logger; the per-request context
 * (trackingId on every line, one line per request) is installed as Fastify hooks by installRequestLogging
 * and added to each line by the root logger's mixin, which is much cheaper than an HTTP middleware creating
 * a child logger for every request. When traces are exported, the mixin adds the trace fields of the active
 * span too (trace_id, span_id, trace_flags).
 * The SecretScrubber it provides is the one every answer goes through too (configureApp's send hook).
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, stream?: DestinationStream): DynamicModule {
    const scrubber = secretScrubberFor(config);
    const logger = createRootLogger(config, stream, scrubber);
    return {
      module: LoggingModule,
      global: true,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] })],
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: SecretScrubber, useValue: scrubber },
      ],
      exports: [LoggerModule, ROOT_LOGGER, SecretScrubber],
    };
  }
}

export function secretScrubberFor(config: AppConfig): SecretScrubber {
  return new SecretScrubber({ values: config.secrets, basicPairs: config.basicCredentials });
}

export function createRootLogger(config: AppConfig, stream?: DestinationStream, scrubber = secretScrubberFor(config)): Logger {
  const destination = stream ?? stdoutDestination();
  return pino(
    {
      level: config.logLevel,
      base: { service: SERVICE_NAME },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Trace fields only when traces are exported: otherwise the mixin costs no context lookup per line.
      mixin: config.tracing ? requestAndTraceLogFields : requestLogFields,
      hooks: { streamWrite: (line) => scrubber.scrub(line) },
    },
    destination,
  );
}
