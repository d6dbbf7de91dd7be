import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SecretScrubber } from '../../secrets/secret-scrubber';
import type { ExportWatcher } from '../tracing';

/**
 * The exporter every span leaves through. Each span's text (name, string attributes, status message,
 * event names and attributes) passes the service's one secret scrubber first, whoever wrote it: a carrier
 * message quoting a key, an account id in a carrier's path. Spans are built without credentials in the
 * first place (no headers, carrier URLs without their query); this is the guarantee.
 * It also tells the watcher when export starts failing and when it works again, once each.
 */
export class ScrubbingExporter implements SpanExporter {
  private failing = false;

  constructor(
    private readonly inner: SpanExporter,
    private readonly scrubber: SecretScrubber,
    private readonly watcher: ExportWatcher,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(
      spans.map((span) => this.scrubbed(span)),
      (result) => {
        if (result.code === ExportResultCode.SUCCESS) {
          if (this.failing) this.watcher.recovered();
          this.failing = false;
        } else if (!this.failing) {
          this.failing = true;
          this.watcher.failed(result.error?.message ?? 'unknown error', spans.length);
        }
        resultCallback(result);
      },
    );
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  private scrubbed(span: ReadableSpan): ReadableSpan {
    const s = this.scrubber;
    return {
      name: s.scrub(span.name),
      kind: span.kind,
      spanContext: () => span.spanContext(),
      parentSpanContext: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      status: span.status.message === undefined ? span.status : { ...span.status, message: s.scrub(span.status.message) },
      attributes: this.attributes(span.attributes),
      links: span.links.map((link) => (link.attributes ? { ...link, attributes: this.attributes(link.attributes) } : link)),
      events: span.events.map((event) => ({ ...event, name: s.scrub(event.name), ...(event.attributes && { attributes: this.attributes(event.attributes) }) })),
      duration: span.duration,
      ended: span.ended,
      resource: span.resource,
      instrumentationScope: span.instrumentationScope,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  }

  private attributes(attributes: Attributes): Attributes {
    const out: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) out[key] = this.value(value);
    return out;
  }

  private value(value: AttributeValue | undefined): AttributeValue | undefined {
    if (typeof value === 'string') return this.scrubber.scrub(value);
    if (Array.isArray(value)) return value.map((v: unknown) => (typeof v === 'string' ? this.scrubber.scrub(v) : v)) as AttributeValue;
    return value;
  }
}
