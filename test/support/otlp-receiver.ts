import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A span as the OTLP/JSON encoding sends it (opentelemetry-proto, JSON mapping), attributes flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  events: { name: string }[];
  links: { traceId: string; spanId: string }[];
  resource: Record<string, string | number | boolean>;
}

/** One POST the receiver got: its headers and body as sent (decompressed). */
export interface ReceivedExport {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

interface JsonValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: JsonValue[] };
}

/**
 * A stand-in OpenTelemetry collector: an HTTP server accepting OTLP/HTTP exports on POST /v1/traces (any
 * other path is a 404, as a collector answers), JSON or protobuf, gzip or not. It keeps every export;
 * JSON exports are decoded into spans.
 */
export class OtlpReceiver {
  readonly exports: ReceivedExport[] = [];
  private readonly server: Server;
  /** The status to answer with (a collector that is down answers 503). */
  status = 200;
  /** Where it listens (after listen()). */
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        this.exports.push({ path: req.url, headers: req.headers, body });
        const json = String(req.headers['content-type'] ?? '').startsWith('application/json');
        res.writeHead(this.status, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Every span of every JSON export so far. */
  spans(): ReceivedSpan[] {
    const out: ReceivedSpan[] = [];
    for (const e of this.exports) {
      if (!String(e.headers['content-type']).startsWith('application/json')) continue;
      const request = JSON.parse(e.body.toString('utf8')) as {
        resourceSpans: { resource?: { attributes?: { key: string; value: JsonValue }[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[];
      };
      for (const rs of request.resourceSpans) {
        const resource = flatten(rs.resource?.attributes);
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            out.push({
              traceId: s.traceId as string,
              spanId: s.spanId as string,
              parentSpanId: (s.parentSpanId as string | undefined) ?? '',
              name: s.name as string,
              kind: s.kind as number,
              attributes: flatten(s.attributes as { key: string; value: JsonValue }[] | undefined),
              status: (s.status as { code?: number; message?: string } | undefined)?.code === undefined ? { code: 0 } : (s.status as { code: number; message?: string }),
              events: ((s.events as { name: string }[] | undefined) ?? []).map((ev) => ({ name: ev.name })),
              links: ((s.links as { traceId: string; spanId: string }[] | undefined) ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
              resource,
            });
          }
        }
      }
    }
    return out;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function flatten(attributes: { key: string; value: JsonValue }[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes ?? []) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
  }
  return out;
}
