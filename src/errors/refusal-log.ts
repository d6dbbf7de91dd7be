import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * Where answers written outside Fastify's request lifecycle are logged: those get no request line from
 * the onResponse hook, and the on-call engineer must still find the tracking id a caller quotes.
 */
const loggers = new WeakMap<FastifyInstance, Logger>();

export function logRefusalsTo(fastify: FastifyInstance, logger: Logger): void {
  loggers.set(fastify, logger);
}

/** One info line per refused request, shaped like the request lines (trackingId, req, res). */
export function logRefusal(fastify: FastifyInstance, line: { trackingId: string; statusCode: number; method?: string; path?: string; reason?: string }, msg: string): void {
  loggers.get(fastify)?.info(
    {
      trackingId: line.trackingId,
      ...(line.method !== undefined ? { req: { method: line.method, path: (line.path ?? '').slice(0, 200) } } : {}),
      res: { statusCode: line.statusCode },
      ...(line.reason !== undefined ? { reason: line.reason } : {}),
    },
    msg,
  );
}
