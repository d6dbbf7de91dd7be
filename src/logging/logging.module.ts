import { type DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { newTrackingId, trackingIdOf } from './tracking-id';
import { scrubSecrets } from './scrub-secrets';

/** Paths pino blanks out whatever is logged: credentials never reach a log line, even by accident. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.authorization',
  '*.password',
  '*.apiKey',
  '*.apiSecret',
  '*.authToken',
  '*.token',
  '*.secret',
];

/**
 * JSON lines via pino: one line per request (method, path, status, duration, trackingId), every other line
 * of that request carrying the same trackingId (nestjs-pino binds it through AsyncLocalStorage).
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, stream?: DestinationStream): DynamicModule {
    const destination = stream ?? pino.destination({ dest: 1, sync: false, minLength: 4096 });
    const logger = pino(
      {
        level: config.logLevel,
        base: { service: 'numbers-gateway' },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
        formatters: { level: (label) => ({ level: label }) },
        hooks: config.secrets.length > 0 ? { streamWrite: (line) => scrubSecrets(line, config.secrets) } : undefined,
      },
      destination,
    );
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            genReqId: (req: IncomingMessage) => trackingIdOf(req) ?? newTrackingId(),
            customAttributeKeys: { reqId: 'trackingId', responseTime: 'durationMs' },
            quietReqLogger: true,
            serializers: {
              req: (req: IncomingMessage & { raw?: IncomingMessage }) => ({
                method: req.method,
                path: (req.url ?? '').split('?')[0].slice(0, 200),
              }),
              res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
            },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
            customSuccessMessage: (req, res) => `${req.method} ${(req.url ?? '').split('?')[0].slice(0, 200)} ${res.statusCode}`,
            customErrorMessage: (req, res) => `${req.method} ${(req.url ?? '').split('?')[0].slice(0, 200)} ${res.statusCode}`,
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
