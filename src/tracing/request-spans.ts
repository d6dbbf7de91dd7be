import { type Attributes, context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type TraceLogFields, traceLogFieldsOf } from './log-fields';
import {
  CLIENT_ADDRESS,
  ERROR_TYPE,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  HTTP_ROUTE,
  NETWORK_PROTOCOL_VERSION,
  NUMBERS_CACHE,
  NUMBERS_CLIENT,
  NUMBERS_TRACKING_ID,
  URL_PATH,
  URL_QUERY,
  URL_SCHEME,
  USER_AGENT,
} from './attributes';
import { tracer } from './tracer';

/**
 * Probes and scrapes are not traced: an orchestrator's health check every few seconds would bury the
 * searches under traces nobody reads.
 */
const UNTRACED_ROUTES: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

/** The methods HTTP semantic conventions name; any other is reported as _OTHER, and its span as `HTTP`. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);

/** Longest url.query kept on a span (the service refuses URLs over 8 KiB; a search's query is short). */
const MAX_QUERY = 1024;

/**
 * The server span of each request (a WeakMap, not a memo: an entry lives as long as its request). It is
 * ended once: when the answer has been sent, or when the caller went away first. The entry stays after
 * that, so the request's log line can name the span whichever of the two hooks runs first.
 */
const serverSpans = new WeakMap<FastifyRequest, { span: Span; ended: boolean }>();

/**
 * Every request (probes and scrapes excepted) is a server span: it continues the caller's trace when the
 * request carries a valid W3C `traceparent` (and `tracestate`), and starts a new one otherwise (a
 * malformed header is ignored, never refused). It is named by its route (`GET /numbers/available`), holds
 * the status of the answer, and is the active span while the request is handled, so the carrier calls,
 * Redis commands and log lines of the request belong to it. Installed by the composition, when traces
 * are exported, before the hooks that may answer a request early.
 */
export function installRequestTracing(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && UNTRACED_ROUTES.has(route)) {
      done();
      return;
    }
    // The global propagator: W3C Trace Context, or the API's no-op with OTEL_PROPAGATORS=none.
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const known = KNOWN_METHODS.has(request.method);
    const url = request.url ?? '';
    const q = url.indexOf('?');
    // Built in one go, without spreads: this runs for every request.
    const attributes: Attributes = {
      [HTTP_REQUEST_METHOD]: known ? request.method : '_OTHER',
      [URL_SCHEME]: 'http',
      [URL_PATH]: q < 0 ? url : url.slice(0, q),
      [NUMBERS_TRACKING_ID]: request.id,
      [NETWORK_PROTOCOL_VERSION]: request.raw.httpVersion,
      [CLIENT_ADDRESS]: request.ip,
    };
    if (q >= 0 && q < url.length - 1) attributes[URL_QUERY] = url.slice(q + 1, q + 1 + MAX_QUERY);
    if (route !== undefined) attributes[HTTP_ROUTE] = route;
    const agent = request.headers['user-agent'];
    if (typeof agent === 'string') attributes[USER_AGENT] = agent;
    const name = known ? request.method : 'HTTP';
    const span = tracer().startSpan(route !== undefined ? `${name} ${route}` : name, { kind: SpanKind.SERVER, attributes }, parent);
    serverSpans.set(request, { span, ended: false });
    context.with(trace.setSpan(parent, span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    endServerSpan(request, reply);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    const entry = serverSpans.get(request);
    if (entry && !entry.ended) {
      entry.ended = true;
      entry.span.addEvent('the caller closed the connection before the answer');
      entry.span.setAttribute(ERROR_TYPE, 'aborted');
      entry.span.end();
    }
    done();
  });
}

function endServerSpan(request: FastifyRequest, reply: FastifyReply): void {
  const entry = serverSpans.get(request);
  if (!entry || entry.ended) return;
  entry.ended = true;
  const span = entry.span;
  const status = reply.statusCode;
  span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
  const client = (request as { client?: unknown }).client;
  if (typeof client === 'string') span.setAttribute(NUMBERS_CLIENT, client);
  const cache = reply.getHeader('x-cache');
  if (typeof cache === 'string') span.setAttribute(NUMBERS_CACHE, cache);
  // A server span fails on 5xx only: a 4xx is the caller's mistake, answered as designed.
  if (status >= 500) {
    span.setAttribute(ERROR_TYPE, String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** The trace fields of a request's own span, for the one log line written when it has been answered. */
export function requestTraceLogFields(request: FastifyRequest): TraceLogFields | undefined {
  const entry = serverSpans.get(request);
  return entry && traceLogFieldsOf(entry.span.spanContext());
}
