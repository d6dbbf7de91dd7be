import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** What every log line written while a request is handled carries. */
export interface RequestLogContext {
  readonly trackingId: string;
}

/**
 * The request a line is written for. The root logger's mixin reads it (createRootLogger), so every line
 * logged during a request carries that request's trackingId without a pino child logger per request,
 * which costs more than the rest of a cache hit.
 */
export const requestLogContext = new AsyncLocalStorage<RequestLogContext>();

/** The fields the root logger adds to each line: the current request's trackingId, if any. */
export function requestLogFields(): Partial<RequestLogContext> {
  const context = requestLogContext.getStore();
  return context === undefined ? {} : { trackingId: context.trackingId };
}

/**
 * Binds the request's trackingId to every log line it produces and writes the one line per request
 * (method, path, status, duration, trackingId) when the response is sent.
 */
export function installRequestLogging(fastify: FastifyInstance, root: Logger): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    requestLogContext.run({ trackingId: request.id }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const path = (request.url ?? '').split('?')[0].slice(0, 200);
    const line = {
      trackingId: request.id,
      req: { method: request.method, path },
      res: { statusCode: status },
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (status >= 500) root.error(line, `${request.method} ${path} ${status}`);
    else root.info(line, `${request.method} ${path} ${status}`);
    done();
  });
}
