import { context, createContextKey, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isProviderError, type ProviderError } from '../domain/provider-error';
import {
  CARRIER_ATTEMPT,
  CARRIER_ATTEMPTS,
  CARRIER_CACHE,
  CARRIER_ERROR_KIND,
  CARRIER_NAME,
  CARRIER_NUMBER_COUNT,
  CARRIER_PROVIDER_CODE,
  CARRIER_RETRY_COUNT,
  ERROR_TYPE,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  SERVER_ADDRESS,
  SERVER_PORT,
  URL_FULL,
} from './attributes';
import { tracer } from './tracer';

/**
 * The spans of one search's carriers:
 *
 *   carrier twilio              the fan-out's call (inCarrierSpan): cache outcome, numbers, attempts, status
 *     ├─ GET answer               Redis (redis-spans.ts)
 *     ├─ carrier attempt          one per attempt of the policies (inAttemptSpan): retries show as siblings
 *     │    └─ GET                 the HTTP exchange (carrierExchangeTracing), whose traceparent the carrier receives
 *     └─ SET answer
 *
 * Each helper starts a span only below an active one (a traced request): with tracing off no span is ever
 * active, and each is one context lookup.
 */

/** What one carrier call learns below the fan-out, for its span: the attempts made, the carrier's last HTTP status. */
class CarrierCall {
  attempts = 0;
  httpStatus: number | undefined;
}

const CARRIER_CALL = createContextKey('numbers-gateway carrier call');

/** How the fan-out tells the carrier span what came of the call. */
export interface CarrierSpan {
  answered(numberCount: number, cache: string): void;
  failed(error: ProviderError): void;
}

const UNTRACED: CarrierSpan = { answered: () => undefined, failed: () => undefined };

/** Runs one carrier's call of a search in a span of its own, the parent of everything the call does. */
export function inCarrierSpan<T>(carrier: string, work: (span: CarrierSpan) => Promise<T>): Promise<T> {
  const parent = context.active();
  if (trace.getSpan(parent) === undefined) return work(UNTRACED);
  const span = tracer().startSpan(`carrier ${carrier}`, { kind: SpanKind.INTERNAL, attributes: { [CARRIER_NAME]: carrier } }, parent);
  const call = new CarrierCall();
  let failure: ProviderError | undefined;
  const handle: CarrierSpan = {
    answered: (numberCount, cache) => span.setAttributes({ [CARRIER_NUMBER_COUNT]: numberCount, [CARRIER_CACHE]: cache }),
    failed: (error) => {
      failure = error;
      recordFailure(span, error);
      span.setAttribute(CARRIER_CACHE, 'MISS');
    },
  };
  const finish = () => {
    span.setAttribute(CARRIER_ATTEMPTS, call.attempts);
    if (call.attempts > 0) span.setAttribute(CARRIER_RETRY_COUNT, call.attempts - 1);
    // The status the carrier's failure names, else the last one it answered (a call served from the
    // cache has none).
    const status = failure?.httpStatus ?? call.httpStatus;
    if (status !== undefined) span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
    span.end();
  };
  const active = trace.setSpan(parent.setValue(CARRIER_CALL, call), span);
  return context.with(active, () => work(handle)).finally(finish);
}

/** One attempt of a carrier call (the first call, or a retry): a child of the carrier span. */
export function inAttemptSpan<T>(carrier: string, attempt: number, work: () => Promise<T>): Promise<T> {
  const parent = context.active();
  if (trace.getSpan(parent) === undefined) return work();
  const call = parent.getValue(CARRIER_CALL) as CarrierCall | undefined;
  if (call) call.attempts++;
  const span = tracer().startSpan('carrier attempt', { attributes: { [CARRIER_NAME]: carrier, [CARRIER_ATTEMPT]: attempt } }, parent);
  return context.with(trace.setSpan(parent, span), work).then(
    (result) => {
      span.end();
      return result;
    },
    (e: unknown) => {
      if (isProviderError(e)) {
        recordFailure(span, e);
        if (e.httpStatus !== undefined) span.setAttribute(HTTP_RESPONSE_STATUS_CODE, e.httpStatus);
      } else {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'the adapter failed unexpectedly' });
      }
      span.end();
      throw e;
    },
  );
}

/**
 * Work that outlives the request that started it (the answer cache's background refresh): a trace of its
 * own, linked to the span that caused it, so the request's trace ends with the request.
 */
export function inBackgroundSpan<T>(name: string, carrier: string, work: () => Promise<T>): Promise<T> {
  const cause = trace.getSpanContext(context.active());
  if (cause === undefined) return work();
  const span = tracer().startSpan(name, { root: true, links: [{ context: cause }], attributes: { [CARRIER_NAME]: carrier } }, ROOT_CONTEXT);
  return context.with(trace.setSpan(ROOT_CONTEXT, span), work).then(
    (result) => {
      span.end();
      return result;
    },
    (e: unknown) => {
      if (isProviderError(e)) recordFailure(span, e);
      else span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      throw e;
    },
  );
}

function recordFailure(span: Span, error: ProviderError): void {
  span.setAttributes({ [ERROR_TYPE]: error.kind, [CARRIER_ERROR_KIND]: error.kind });
  if (error.providerCode !== undefined) span.setAttribute(CARRIER_PROVIDER_CODE, error.providerCode);
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${error.kind}: ${error.message}` });
}

/** What the HTTP client is told back for an exchange nobody traces. */
const UNOBSERVED = { headers: {}, end: () => undefined };

/**
 * The carrier HTTP client's observer (providers/http ExchangeObserver), wired by the composition when
 * traces are exported: each exchange is a client span named by its method, whose context the carrier
 * receives as `traceparent` (and the caller's `tracestate`). The URL is kept without its query and user
 * information: Vonage's documented query credentials (api_key, api_secret) and any other never reach a
 * span. The status it answered is also handed to the carrier span.
 */
export const carrierExchangeTracing = {
  start(exchange: { provider: string; method: string; url: string }): { headers: Record<string, string>; end(outcome: { status: number } | { error: ProviderError }): void } {
    const parent = context.active();
    if (trace.getSpan(parent) === undefined) return UNOBSERVED;
    const span = tracer().startSpan(exchange.method, { kind: SpanKind.CLIENT, attributes: { [CARRIER_NAME]: exchange.provider, [HTTP_REQUEST_METHOD]: exchange.method, ...target(exchange.url) } }, parent);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), headers);
    const call = parent.getValue(CARRIER_CALL) as CarrierCall | undefined;
    return {
      headers,
      end: (outcome) => {
        if ('status' in outcome) {
          span.setAttribute(HTTP_RESPONSE_STATUS_CODE, outcome.status);
          if (call) call.httpStatus = outcome.status;
          // A client span fails on every 4xx and 5xx (semantic conventions, HTTP client spans).
          if (outcome.status >= 400) {
            span.setAttribute(ERROR_TYPE, String(outcome.status));
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
        } else {
          recordFailure(span, outcome.error);
        }
        span.end();
      },
    };
  },
};

/** url.full without query, fragment or user information; server.address and server.port. */
function target(url: string): Record<string, string | number> {
  try {
    const u = new URL(url);
    const port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { [URL_FULL]: `${u.protocol}//${u.host}${u.pathname}`, [SERVER_ADDRESS]: u.hostname, [SERVER_PORT]: port };
  } catch {
    return {};
  }
}
