import * as http from 'node:http';
import * as https from 'node:https';
import { context, propagation, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, type Sampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TraceSamplerName, TracingConfig } from '../../config/tracing.config';
import type { SecretScrubber } from '../../secrets/secret-scrubber';
import type { ExportWatcher, Tracing } from '../tracing';
import { ScrubbingExporter } from './scrubbing-exporter';

/** Longest shutdown waits for the last spans to be exported: the shutdown grace belongs to requests. */
const SHUTDOWN_EXPORT_MS = 1000;

/**
 * Registers the OpenTelemetry SDK for the process from the validated configuration: a tracer provider
 * with the configured sampler and resource, a batch processor exporting over OTLP/HTTP (protobuf or JSON)
 * through the scrubbing exporter, the AsyncLocalStorage context manager, and W3C Trace Context as the
 * propagator (none with OTEL_PROPAGATORS=none). Only start-tracing.ts loads this file.
 */
export function startSdk(config: TracingConfig, scrubber: SecretScrubber, watcher: ExportWatcher): Tracing {
  const Exporter = config.protocol === 'http/json' ? JsonTraceExporter : ProtobufTraceExporter;
  const exporter = new Exporter({
    url: config.url,
    headers: config.headers,
    timeoutMillis: config.timeoutMs,
    compression: config.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    // Agents of our own, with the TLS files the configuration read: the exporter's default factory loads
    // node:http by a dynamic import (for an HTTP instrumentation this service does not use) and reads
    // the certificate variables itself, where a missing file would only be a diagnostic.
    httpAgentOptions: (protocol: string) => (protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true, ...config.tls })),
  });
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ ...config.resourceAttributes, 'service.name': config.serviceName })),
    sampler: samplerOf(config.sampler, config.samplerRatio),
    spanProcessors: [
      new BatchSpanProcessor(new ScrubbingExporter(exporter, scrubber, watcher), {
        scheduledDelayMillis: config.batch.scheduledDelayMs,
        exportTimeoutMillis: config.batch.exportTimeoutMs,
        maxQueueSize: config.batch.maxQueueSize,
        maxExportBatchSize: Math.min(config.batch.maxExportBatchSize, config.batch.maxQueueSize),
      }),
    ],
  });
  provider.register({ propagator: config.propagate ? new W3CTraceContextPropagator() : null });
  // The API keeps the first registration of a process and ignores later ones with a diagnostic nobody
  // reads: a second one would export nothing, so it stops start-up instead.
  const registered = trace.getTracerProvider();
  if (!(registered instanceof ProxyTracerProvider) || registered.getDelegate() !== provider) {
    void provider.shutdown();
    throw new Error('tracing: another OpenTelemetry tracer provider is already registered in this process');
  }
  const target = new URL(config.url);
  watcher.started(
    `exporting traces to ${target.origin}${target.pathname} (${config.protocol}, sampler ${config.sampler}${config.sampler.endsWith('traceidratio') ? ` ${config.samplerRatio}` : ''}, service.name ${config.serviceName})`,
  );
  return {
    enabled: true,
    shutdown: async () => {
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), SHUTDOWN_EXPORT_MS);
        timer.unref();
      });
      const late = await Promise.race([provider.shutdown().then(() => false, () => false), outOfTime]);
      clearTimeout(timer);
      trace.disable();
      context.disable();
      propagation.disable();
      if (late) watcher.unflushed(SHUTDOWN_EXPORT_MS);
    },
  };
}

function samplerOf(name: TraceSamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default: {
      const never: never = name;
      return never;
    }
  }
}
