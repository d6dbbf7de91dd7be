import { context, isSpanContextValid, type SpanContext, trace } from '@opentelemetry/api';

/**
 * The trace context of a log line, under the names the OpenTelemetry specification gives them in JSON logs
 * (specification/compatibility/logging_trace_context.md), so a log backend links each line to its trace.
 */
export interface TraceLogFields {
  trace_id: string;
  span_id: string;
  trace_flags: string;
}

/** The fields of the span active where the line is written, if any. */
export function activeTraceLogFields(): TraceLogFields | undefined {
  return traceLogFieldsOf(trace.getSpanContext(context.active()));
}

export function traceLogFieldsOf(span: SpanContext | undefined): TraceLogFields | undefined {
  if (span === undefined || !isSpanContextValid(span)) return undefined;
  return { trace_id: span.traceId, span_id: span.spanId, trace_flags: span.traceFlags.toString(16).padStart(2, '0') };
}
