import { SpanStatusCode } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { REDACTED, SecretScrubber } from '../../src/secrets/secret-scrubber';
import { ScrubbingExporter } from '../../src/tracing/sdk/scrubbing-exporter';
import type { ExportWatcher } from '../../src/tracing/tracing';

/** Every span leaves through the scrubbing exporter: its text is cleared of secrets, its numbers left alone. */
const SECRET = 'k_live_secret_0123456789';
const scrubber = new SecretScrubber({ values: [SECRET], basicPairs: [{ user: 'AC0001', secret: 'basic-secret-98765' }] });

const watcher = (): ExportWatcher & { calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    started: () => calls.push('started'),
    failed: (reason, spans) => calls.push(`failed ${spans}: ${reason}`),
    recovered: () => calls.push('recovered'),
    unflushed: () => calls.push('unflushed'),
  };
};

describe('ScrubbingExporter', () => {
  it('scrubs the name, string attributes, arrays, status message, events and links of every span', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ScrubbingExporter(memory, scrubber, watcher()))] });
    const tracer = provider.getTracer('test');
    const linked = tracer.startSpan('linked');
    const span = tracer.startSpan(`carrier ${SECRET}`, {
      links: [{ context: linked.spanContext(), attributes: { note: `see ${SECRET}` } }],
      attributes: {
        'url.query': `apiKey=${SECRET}&countryCode=US`,
        'carrier.names': ['telnyx', `x${Buffer.from(`AC0001:basic-secret-98765`).toString('base64')}`],
        'http.response.status_code': 503,
        'carrier.retried': true,
      },
    });
    span.addEvent(`echo ${encodeURIComponent(SECRET)}`, { body: JSON.stringify({ key: SECRET }) });
    span.setStatus({ code: SpanStatusCode.ERROR, message: `auth_failed: the carrier said "${SECRET}"` });
    span.end();
    linked.end();
    await provider.forceFlush();

    const exported = memory.getFinishedSpans().find((s) => s.name.startsWith('carrier')) as ReadableSpan;
    expect(exported.name).toBe(`carrier ${REDACTED}`);
    expect(exported.attributes).toEqual({
      'url.query': `apiKey=${REDACTED}&countryCode=US`,
      'carrier.names': ['telnyx', `x${REDACTED}`],
      'http.response.status_code': 503,
      'carrier.retried': true,
    });
    expect(exported.status).toEqual({ code: SpanStatusCode.ERROR, message: `auth_failed: the carrier said "${REDACTED}"` });
    expect(exported.events.map((e) => [e.name, e.attributes])).toEqual([[`echo ${REDACTED}`, { body: `{"key":"${REDACTED}"}` }]]);
    expect(exported.links[0].attributes).toEqual({ note: `see ${REDACTED}` });
    // Everything else is the span as recorded: same ids, parent, times, resource.
    expect(exported.spanContext()).toEqual(span.spanContext());
    expect(exported.duration).toEqual((span as unknown as ReadableSpan).duration);
    expect(JSON.stringify(memory.getFinishedSpans().map((s) => [s.name, s.attributes, s.status, s.events, s.links]))).not.toContain('secret');
    await provider.shutdown();
  });

  it('tells the watcher once when export starts failing and once when it works again', async () => {
    const results: ExportResult[] = [
      { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED 127.0.0.1:4318') },
      { code: ExportResultCode.FAILED, error: new Error('still refused') },
      { code: ExportResultCode.SUCCESS },
      { code: ExportResultCode.SUCCESS },
      { code: ExportResultCode.FAILED, error: new Error('Not Found') },
    ];
    const inner: SpanExporter = {
      export: (_spans, callback) => callback(results.shift() as ExportResult),
      shutdown: async () => undefined,
    };
    const w = watcher();
    const exporter = new ScrubbingExporter(inner, scrubber, w);
    const seen: ExportResultCode[] = [];
    for (let i = 0; i < 5; i++) exporter.export([], (r) => seen.push(r.code));
    expect(seen).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED, ExportResultCode.SUCCESS, ExportResultCode.SUCCESS, ExportResultCode.FAILED]);
    expect(w.calls).toEqual(['failed 0: connect ECONNREFUSED 127.0.0.1:4318', 'recovered', 'failed 0: Not Found']);
  });
});
