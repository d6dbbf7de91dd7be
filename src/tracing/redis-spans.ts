import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { DB_OPERATION_NAME, DB_QUERY_SUMMARY, DB_QUERY_TEXT, DB_SYSTEM_NAME, ERROR_TYPE } from './attributes';
import { tracer } from './tracer';

/**
 * One Redis round trip of a traced request as a client span, named by what it is for (`GET answer`,
 * `EVALSHA fill-lock release`), with the command and key (keys name a query and a carrier, never a value).
 * Commands outside a request (health probes, subscriptions) and of requests that are not sampled get no span.
 */
export function inRedisSpan<T>(summary: string, command: string, key: string, work: () => Promise<T>): Promise<T> {
  const parent = context.active();
  if (!trace.getSpan(parent)?.isRecording()) return work();
  const span = tracer().startSpan(
    summary,
    {
      kind: SpanKind.CLIENT,
      attributes: { [DB_SYSTEM_NAME]: 'redis', [DB_OPERATION_NAME]: command, [DB_QUERY_SUMMARY]: summary, [DB_QUERY_TEXT]: `${command} ${key}` },
    },
    parent,
  );
  return work().then(
    (result) => {
      span.end();
      return result;
    },
    (e: unknown) => {
      const err = e as { name?: unknown; code?: unknown; message?: unknown };
      span.setAttribute(ERROR_TYPE, String(err?.code ?? err?.name ?? 'Error'));
      span.setStatus({ code: SpanStatusCode.ERROR, message: typeof err?.message === 'string' ? err.message : undefined });
      span.end();
      throw e;
    },
  );
}
