import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
// nestjs-pino keeps the request's logger in this AsyncLocalStorage; its PinoLogger reads it, so every line
// logged during a request carries that request's trackingId.
import { storage } from 'nestjs-pino/storage';

/**
 * The store nestjs-pino reads. The child logger is created on first use only: most requests log nothing
 * but their one request line, and creating a pino child per request costs more than the rest of a
 * cache hit.
 */
class LazyRequestStore {
  private child?: Logger;

  constructor(
    private readonly root: Logger,
    private readonly trackingId: string,
  ) {}

  get logger(): Logger {
    this.child ??= this.root.child({ trackingId: this.trackingId });
    return this.child;
  }

  set logger(value: Logger) {
    this.child = value;
  }
}

/**
 * Binds the request's trackingId to every log line it produces and writes the one line per request
 * (method, path, status, duration, trackingId) when the response is sent.
 */
export function installRequestLogging(fastify: FastifyInstance, root: Logger): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    storage.run(new LazyRequestStore(root, request.id) as never, done);
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
