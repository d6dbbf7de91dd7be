import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for an OpenTelemetry collector, for the tracing variant of the cache-hit run: it
 * accepts OTLP/HTTP exports on POST /v1/traces and answers 200 at once, counting exports, bytes and the
 * spans whose name it is told to look for (found as bytes, so protobuf needs no decoding). It runs in the
 * benchmark's process, never the service's: what it costs is not charged to the service.
 */
export class OtlpSink {
  exports = 0;
  bytes = 0;
  spans = 0;
  private readonly server: Server;
  private readonly marker: Buffer;

  constructor(spanName: string) {
    this.marker = Buffer.from(spanName);
    this.server = createServer((req, res) => {
      let tail = Buffer.alloc(0);
      req.on('data', (chunk: Buffer) => {
        // The marker may straddle two chunks: carry the last bytes of each over to the next.
        const data = Buffer.concat([tail, chunk]);
        this.bytes += chunk.length;
        for (let at = data.indexOf(this.marker); at >= 0; at = data.indexOf(this.marker, at + this.marker.length)) this.spans++;
        tail = data.subarray(Math.max(0, data.length - this.marker.length + 1));
      });
      req.on('end', () => {
        if (req.url === '/v1/traces') this.exports++;
        res.writeHead(req.url === '/v1/traces' ? 200 : 404, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
