import { readFileSync } from 'node:fs';
import type { ConfigProblems, Env } from './env';
import { readBool, readInt, splitList } from './parsers';

/** The samplers of the OpenTelemetry specification the SDK has (OTEL_TRACES_SAMPLER). */
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * Trace export over OTLP/HTTP, read from the standard OpenTelemetry variables
 * (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables and
 * .../protocol/exporter). Undefined in AppConfig when traces are not exported: then nothing of the SDK is
 * loaded and every span the code starts is the API's no-op.
 */
export interface TracingConfig {
  /** The full OTLP/HTTP traces URL (…/v1/traces). */
  url: string;
  protocol: OtlpProtocol;
  /** Sent with every export (a collector's or vendor's key): secrets, scrubbed from every log line. */
  headers: Record<string, string>;
  timeoutMs: number;
  compression: 'gzip' | 'none';
  /** PEM contents of OTEL_EXPORTER_OTLP_CERTIFICATE (CAs to trust), _CLIENT_CERTIFICATE and _CLIENT_KEY (mutual TLS). */
  tls: { ca?: string; cert?: string; key?: string };
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, service.name excepted (serviceName holds it). */
  resourceAttributes: Record<string, string>;
  sampler: TraceSamplerName;
  /** The ratio of the traceidratio samplers (OTEL_TRACES_SAMPLER_ARG), 1 otherwise. */
  samplerRatio: number;
  batch: { scheduledDelayMs: number; exportTimeoutMs: number; maxQueueSize: number; maxExportBatchSize: number };
  /** Whether the caller's traceparent/tracestate is continued and carriers are sent ours (OTEL_PROPAGATORS). */
  propagate: boolean;
}

export const DEFAULT_SERVICE_NAME = 'numbers-gateway';

/**
 * Traces are exported when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is) or OTEL_EXPORTER_OTLP_ENDPOINT
 * (`/v1/traces` appended, as the specification says) is set, unless OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none. The other OTEL_* variables are checked only then: a deployment that sets them
 * for other services and leaves export off is not refused over values it does not use. Trace-specific
 * variables (OTEL_EXPORTER_OTLP_TRACES_*) win over the general ones, as in every OpenTelemetry SDK.
 * Values of headers are never quoted in a problem: they are usually keys.
 */
export function readTracingConfig(env: Env, problems: ConfigProblems): TracingConfig | undefined {
  const tracesEndpoint = (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? '').trim();
  const endpoint = (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').trim();
  if (tracesEndpoint === '' && endpoint === '') return undefined;
  if (readBool(env, problems, 'OTEL_SDK_DISABLED', false)) return undefined;
  const exporter = (env.OTEL_TRACES_EXPORTER ?? '').trim().toLowerCase();
  if (exporter === 'none') return undefined;
  if (exporter !== '' && exporter !== 'otlp') {
    problems.add('OTEL_TRACES_EXPORTER', `must be otlp or none (the service exports over OTLP/HTTP only), got "${env.OTEL_TRACES_EXPORTER}"`, 'OTEL_TRACES_EXPORTER=otlp');
  }

  const url =
    tracesEndpoint !== ''
      ? readEndpoint('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint, problems, (u) => u)
      : readEndpoint('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint, problems, (u) => `${u.replace(/\/+$/, '')}/v1/traces`);
  const sampler = readSampler(env, problems);
  return {
    url: url ?? '',
    protocol: readProtocol(env, problems),
    headers: { ...readPairs(env, problems, 'OTEL_EXPORTER_OTLP_HEADERS', true), ...readPairs(env, problems, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', true) },
    timeoutMs: readSpecific(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT', (name) => readInt(env, problems, name, 10_000, 1, 600_000, '10000')),
    compression: readSpecific(env, 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION', (name) => readCompression(env, problems, name)),
    tls: readTls(env, problems),
    ...readResource(env, problems),
    sampler: sampler.name,
    samplerRatio: sampler.ratio,
    batch: {
      scheduledDelayMs: readInt(env, problems, 'OTEL_BSP_SCHEDULE_DELAY', 5000, 1, 3_600_000, '5000'),
      exportTimeoutMs: readInt(env, problems, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1, 3_600_000, '30000'),
      maxQueueSize: readInt(env, problems, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1, 1_000_000, '2048'),
      maxExportBatchSize: readInt(env, problems, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1, 1_000_000, '512'),
    },
    propagate: readPropagators(env, problems),
  };
}

/** The trace-specific variable when it is set, the general one otherwise. */
function readSpecific<T>(env: Env, specific: string, general: string, read: (name: string) => T): T {
  return read((env[specific] ?? '').trim() !== '' ? specific : general);
}

function readEndpoint(name: string, raw: string, problems: ConfigProblems, toTracesUrl: (url: string) => string): string | undefined {
  const example = `${name}=http://otel-collector:4318${name === 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' ? '/v1/traces' : ''}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.add(name, 'is not an absolute http(s) URL', example);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.add(name, `must be an http(s) URL (OTLP/HTTP; gRPC is not supported), got "${url.protocol}"`, example);
    return undefined;
  }
  if (url.username || url.password) {
    problems.add(name, 'must not contain credentials: send them as a header with OTEL_EXPORTER_OTLP_HEADERS', `${example} OTEL_EXPORTER_OTLP_HEADERS=authorization=Basic%20<base64>`);
    return undefined;
  }
  return toTracesUrl(raw);
}

function readProtocol(env: Env, problems: ConfigProblems): OtlpProtocol {
  return readSpecific(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL', (name) => {
    const raw = (env[name] ?? '').trim();
    // The specification's default; every OTLP/HTTP receiver accepts it.
    if (raw === '' || raw === 'http/protobuf') return 'http/protobuf';
    if (raw === 'http/json') return 'http/json';
    const why = raw === 'grpc' ? 'gRPC export is not supported (OTLP/HTTP only, usually port 4318)' : `must be http/protobuf or http/json, got "${raw}"`;
    problems.add(name, why, `${name}=http/protobuf`);
    return 'http/protobuf';
  });
}

/** The exporter's TLS files, read once at start-up: a path that cannot be read stops it, naming the variable. */
function readTls(env: Env, problems: ConfigProblems): TracingConfig['tls'] {
  const file = (suffix: string, example: string) =>
    readSpecific(env, `OTEL_EXPORTER_OTLP_TRACES_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`, (name) => {
      const path = (env[name] ?? '').trim();
      if (path === '') return undefined;
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        problems.add(name, `names "${path}", which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`, `${name}=${example}`);
        return undefined;
      }
    });
  const ca = file('CERTIFICATE', '/etc/ssl/otel/ca.pem');
  const cert = file('CLIENT_CERTIFICATE', '/etc/ssl/otel/client.pem');
  const key = file('CLIENT_KEY', '/etc/ssl/otel/client-key.pem');
  if ((cert === undefined) !== (key === undefined)) {
    problems.add(cert === undefined ? 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE' : 'OTEL_EXPORTER_OTLP_CLIENT_KEY', 'is needed too: a client certificate and its key go together', 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/etc/ssl/otel/client.pem OTEL_EXPORTER_OTLP_CLIENT_KEY=/etc/ssl/otel/client-key.pem');
  }
  return { ...(ca !== undefined && { ca }), ...(cert !== undefined && key !== undefined && { cert, key }) };
}

function readCompression(env: Env, problems: ConfigProblems, name: string): 'gzip' | 'none' {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'none') return 'none';
  if (raw === 'gzip') return 'gzip';
  problems.add(name, `must be gzip or none, got "${env[name]}"`, `${name}=gzip`);
  return 'none';
}

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * `key=value` pairs separated by commas, values percent-encoded (the format of OTEL_EXPORTER_OTLP_HEADERS and
 * OTEL_RESOURCE_ATTRIBUTES). `secret` values are never quoted back.
 */
function readPairs(env: Env, problems: ConfigProblems, name: string, headers: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const example = headers ? `${name}=authorization=Bearer%20<key>,x-scope=gateway` : `${name}=deployment.environment.name=production,service.namespace=numbers`;
  for (const [i, item] of splitList(env[name]).entries()) {
    const at = item.indexOf('=');
    const key = at > 0 ? item.slice(0, at).trim() : '';
    if (key === '' || (headers && !HEADER_NAME.test(key))) {
      problems.add(name, `has an entry that is not key=value${headers ? ' with a header name as key' : ''} (entry ${i + 1})`, example);
      continue;
    }
    try {
      out[headers ? key.toLowerCase() : key] = decodeURIComponent(item.slice(at + 1).trim());
    } catch {
      problems.add(name, `has a value that is not valid percent-encoding (key "${key}")`, example);
    }
  }
  return out;
}

function readResource(env: Env, problems: ConfigProblems): Pick<TracingConfig, 'serviceName' | 'resourceAttributes'> {
  const { 'service.name': fromAttributes, ...resourceAttributes } = readPairs(env, problems, 'OTEL_RESOURCE_ATTRIBUTES', false);
  // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES (the specification's order).
  const serviceName = (env.OTEL_SERVICE_NAME ?? '').trim() || (fromAttributes ?? '').trim() || DEFAULT_SERVICE_NAME;
  return { serviceName, resourceAttributes };
}

function readSampler(env: Env, problems: ConfigProblems): { name: TraceSamplerName; ratio: number } {
  const raw = (env.OTEL_TRACES_SAMPLER ?? '').trim().toLowerCase();
  let name: TraceSamplerName = 'parentbased_always_on';
  if (raw !== '') {
    if ((TRACE_SAMPLERS as readonly string[]).includes(raw)) name = raw as TraceSamplerName;
    else problems.add('OTEL_TRACES_SAMPLER', `must be one of ${TRACE_SAMPLERS.join(', ')}, got "${env.OTEL_TRACES_SAMPLER}"`, 'OTEL_TRACES_SAMPLER=parentbased_traceidratio');
  }
  const arg = (env.OTEL_TRACES_SAMPLER_ARG ?? '').trim();
  // The argument means something to the ratio samplers only; the specification says to ignore it otherwise.
  if (!name.endsWith('traceidratio') || arg === '') return { name, ratio: 1 };
  const ratio = Number(arg);
  if (!/^\d*\.?\d+$/.test(arg) || !(ratio >= 0 && ratio <= 1)) {
    problems.add('OTEL_TRACES_SAMPLER_ARG', `must be a ratio from 0 to 1 for ${name}, got "${arg}"`, 'OTEL_TRACES_SAMPLER_ARG=0.1');
    return { name, ratio: 1 };
  }
  return { name, ratio };
}

/**
 * W3C Trace Context is what the service speaks (traceparent and tracestate, in and out). Baggage is
 * accepted in the list, as deployments commonly set `tracecontext,baggage`, but never propagated: a caller's
 * baggage would be handed on to the carriers, outside the company.
 */
function readPropagators(env: Env, problems: ConfigProblems): boolean {
  const names = splitList((env.OTEL_PROPAGATORS ?? '').toLowerCase());
  if (names.length === 0) return true;
  const unsupported = names.filter((n) => !['tracecontext', 'baggage', 'none'].includes(n));
  if (unsupported.length > 0) {
    problems.add('OTEL_PROPAGATORS', `names ${unsupported.join(', ')}: the service speaks W3C Trace Context only (tracecontext, or none)`, 'OTEL_PROPAGATORS=tracecontext');
  }
  return names.includes('tracecontext');
}
