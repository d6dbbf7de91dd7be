import { trace, type Tracer } from '@opentelemetry/api';

/**
 * The service's tracer, looked up at each span: the API's tracer objects cache the first provider they
 * resolve, and a process that stops tracing and starts again (tests do) must reach the current one.
 * Until the SDK is registered (sdk/start-sdk.ts, only when traces are exported) this is never called:
 * the helpers of this folder start spans only below an active one, and with tracing off none ever is.
 */
export function tracer(): Tracer {
  return trace.getTracer('numbers-gateway');
}
