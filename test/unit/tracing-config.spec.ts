import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';
import { configProblems as problems } from '../support/config-problems';

/** The standard OTEL_* variables, read once at start-up like every other variable. */
const KEYS = { API_KEYS: 'billing:k_live_0123456789ab' };
const ON = { ...KEYS, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' };

const tracing = (env: Record<string, string>) => loadConfig(env, PROVIDER_DEFINITIONS).tracing;

describe('tracing configuration', () => {
  it('is off without an endpoint, whatever else is set, and checks nothing then', () => {
    expect(tracing(KEYS)).toBeUndefined();
    expect(tracing({ ...KEYS, OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'bogus', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toBeUndefined();
  });

  it('is off with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, though an endpoint is set', () => {
    expect(tracing({ ...ON, OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracing({ ...ON, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(problems({ ...ON, OTEL_SDK_DISABLED: 'yes' })).toEqual([expect.stringMatching(/^OTEL_SDK_DISABLED must be true or false/)]);
  });

  it('applies the specification\'s defaults, service.name numbers-gateway', () => {
    expect(tracing(ON)).toEqual({
      url: 'http://otel-collector:4318/v1/traces',
      protocol: 'http/protobuf',
      headers: {},
      timeoutMs: 10_000,
      compression: 'none',
      tls: {},
      serviceName: 'numbers-gateway',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      batch: { scheduledDelayMs: 5000, exportTimeoutMs: 30_000, maxQueueSize: 2048, maxExportBatchSize: 512 },
      propagate: true,
    });
  });

  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT and takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is', () => {
    expect(tracing({ ...KEYS, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com/otlp/' })?.url).toBe('https://otlp.example.com/otlp/v1/traces');
    expect(tracing({ ...ON, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/ingest' })?.url).toBe('https://traces.example.com/ingest');
    expect(tracing({ ...KEYS, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })?.url).toBe('http://c:4318/v1/traces');
  });

  it('prefers the trace-specific variable of each pair', () => {
    const c = tracing({
      ...ON,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '3000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_HEADERS: 'X-Tenant=numbers,authorization=Basic%20general',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'Authorization=Bearer%20trace-key-0123456789',
    });
    expect(c).toMatchObject({ protocol: 'http/json', timeoutMs: 3000, compression: 'gzip' });
    expect(c?.headers).toEqual({ 'x-tenant': 'numbers', authorization: 'Bearer trace-key-0123456789' });
  });

  it('names the service by OTEL_SERVICE_NAME, else by service.name of OTEL_RESOURCE_ATTRIBUTES', () => {
    const attributes = 'service.name=from-attributes,deployment.environment.name=prod%20eu';
    expect(tracing({ ...ON, OTEL_RESOURCE_ATTRIBUTES: attributes })).toMatchObject({
      serviceName: 'from-attributes',
      resourceAttributes: { 'deployment.environment.name': 'prod eu' },
    });
    expect(tracing({ ...ON, OTEL_RESOURCE_ATTRIBUTES: attributes, OTEL_SERVICE_NAME: 'gateway-eu' })?.serviceName).toBe('gateway-eu');
  });

  it('reads every sampler of the specification, and the ratio of the ratio samplers', () => {
    for (const sampler of ['always_on', 'always_off', 'parentbased_always_on', 'parentbased_always_off']) {
      expect(tracing({ ...ON, OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: 'ignored' })).toMatchObject({ sampler, samplerRatio: 1 });
    }
    expect(tracing({ ...ON, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toMatchObject({ sampler: 'traceidratio', samplerRatio: 0.25 });
    expect(tracing({ ...ON, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' })).toMatchObject({ samplerRatio: 0 });
  });

  it('propagates W3C Trace Context unless told none; baggage is accepted and never propagated', () => {
    expect(tracing({ ...ON, OTEL_PROPAGATORS: 'tracecontext,baggage' })?.propagate).toBe(true);
    expect(tracing({ ...ON, OTEL_PROPAGATORS: 'none' })?.propagate).toBe(false);
  });

  it('reads the exporter\'s TLS files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-tls-'));
    try {
      for (const name of ['ca', 'cert', 'key']) writeFileSync(join(dir, `${name}.pem`), `-----BEGIN ${name}-----\n`);
      expect(
        tracing({
          ...ON,
          OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, 'ca.pem'),
          OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, 'cert.pem'),
          OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: join(dir, 'key.pem'),
        })?.tls,
      ).toEqual({ ca: '-----BEGIN ca-----\n', cert: '-----BEGIN cert-----\n', key: '-----BEGIN key-----\n' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' }, /^OTEL_EXPORTER_OTLP_ENDPOINT (is not an absolute http\(s\) URL|must be an http\(s\) URL)/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' }, /^OTEL_EXPORTER_OTLP_ENDPOINT is not an absolute http\(s\) URL \(example: OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/otel-collector:4318\)/],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://c:4317' }, /^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http\(s\) URL .*gRPC is not supported/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:pw@c.example.com' }, /^OTEL_EXPORTER_OTLP_ENDPOINT must not contain credentials: send them as a header with OTEL_EXPORTER_OTLP_HEADERS/],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /^OTEL_EXPORTER_OTLP_PROTOCOL gRPC export is not supported .*\(example: OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf\)/],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'json' }, /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL must be http\/protobuf or http\/json, got "json"/],
    [{ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, /^OTEL_TRACES_SAMPLER must be one of always_on, .*, got "jaeger_remote"/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, /^OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 for traceidratio, got "1.5"/],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 'ten percent' }, /^OTEL_TRACES_SAMPLER_ARG must be a ratio/],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /^OTEL_TRACES_EXPORTER must be otlp or none/],
    [{ OTEL_PROPAGATORS: 'tracecontext,b3' }, /^OTEL_PROPAGATORS names b3: the service speaks W3C Trace Context only/],
    [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' }, /^OTEL_EXPORTER_OTLP_COMPRESSION must be gzip or none, got "brotli"/],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: '10s' }, /^OTEL_EXPORTER_OTLP_TIMEOUT must be a whole number/],
    [{ OTEL_BSP_SCHEDULE_DELAY: '-1' }, /^OTEL_BSP_SCHEDULE_DELAY must be a whole number/],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '0' }, /^OTEL_BSP_MAX_QUEUE_SIZE must be a whole number from 1/],
    [{ OTEL_EXPORTER_OTLP_CERTIFICATE: '/nonexistent/ca.pem' }, /^OTEL_EXPORTER_OTLP_CERTIFICATE names "\/nonexistent\/ca.pem", which cannot be read \(ENOENT\)/],
    [{ OTEL_RESOURCE_ATTRIBUTES: 'service.name' }, /^OTEL_RESOURCE_ATTRIBUTES has an entry that is not key=value \(entry 1\)/],
  ])('refuses %j with one line naming the variable', (env, line) => {
    expect(problems({ ...ON, ...env })).toEqual([expect.stringMatching(line)]);
  });

  it('never quotes a header value back in a problem: it is usually a key', () => {
    const lines = problems({ ...ON, OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=%E0%A4%A-secret-value-1,bad header=secret-value-2' });
    expect(lines).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_HEADERS has a value that is not valid percent-encoding \(key "x-api-key"\)/),
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_HEADERS has an entry that is not key=value with a header name as key \(entry 2\)/),
    ]);
    expect(lines.join('\n')).not.toContain('secret-value');
  });

  it('treats the credentials among the exporter\'s headers as secrets, scrubbed from every log line', () => {
    const { secrets } = loadConfig(
      { ...ON, OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20otlp-bearer-0123,x-honeycomb-team=hc-key-01,x-scope=gateway,x-long=0123456789abcdefXYZ' },
      PROVIDER_DEFINITIONS,
    );
    expect(secrets).toEqual(expect.arrayContaining(['Bearer otlp-bearer-0123', 'otlp-bearer-0123', 'hc-key-01', '0123456789abcdefXYZ']));
    // A scope or tenant name is no secret: scrubbing it would blank ordinary words of every line.
    expect(secrets).not.toContain('gateway');
  });
});
