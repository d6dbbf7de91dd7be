import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { SecretScrubber } from '../secrets/secret-scrubber';
import { requestLineWriter } from './request-line';
import { activeTraceLogFields, type TraceLogFields } from '../tracing/log-fields';

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
 * The fields of each line when traces are exported: the trackingId, and the trace_id and span_id of the
 * span the line is written in (the request's, or the carrier call's), so a line leads to its trace and a
 * trace to its lines. Without tracing the mixin stays requestLogFields: no lookup per line.
 */
export function requestAndTraceLogFields(): Partial<RequestLogContext> & Partial<TraceLogFields> {
  const trace = activeTraceLogFields();
  return trace === undefined ? requestLogFields() : { ...requestLogFields(), ...trace };
}

/**
 * Binds the request's trackingId to every log line it produces and writes the one line per request
 * (method, path, status, duration, trackingId; with tracing, the request span's trace_id and span_id) when
 * the response is sent.
 */
export function installRequestLogging(
  fastify: FastifyInstance,
  root: Logger,
  scrubber: SecretScrubber,
  service: string,
  traceFields: (request: FastifyRequest) => TraceLogFields | undefined = () => undefined,
): void {
  const writeInfoLine = requestLineWriter(root, scrubber, service);
  fastify.addHook('onRequest', (request, _reply, done) => {
    requestLogContext.run({ trackingId: request.id }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const path = (request.url ?? '').split('?')[0].slice(0, 200);
    const durationMs = Math.round(reply.elapsedTime * 100) / 100;
    const trace = traceFields(request);
    if (status < 500 && trace === undefined) {
      writeInfoLine({ trackingId: request.id, method: request.method, path, statusCode: status, durationMs });
      return done();
    }
    const line = { trackingId: request.id, ...trace, req: { method: request.method, path }, res: { statusCode: status }, durationMs };
    if (status >= 500) root.error(line, `${request.method} ${path} ${status}`);
    else root.info(line, `${request.method} ${path} ${status}`);
    done();
  });
}
