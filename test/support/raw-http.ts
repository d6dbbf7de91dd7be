import * as net from 'node:net';

/** One HTTP/1.1 response as read off the wire. */
export interface RawResponse {
  status: number;
  /** Lower-case names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
  /** Interim 1xx responses that came before it. */
  interim: number[];
}

/**
 * A client connection that writes bytes exactly as given and reads the answers with a small HTTP/1.1
 * response parser (Content-Length, chunked, or until close). It keeps the connection for the next
 * request like a keep-alive client does, and reports a connection the server dropped without an answer.
 */
export class RawConnection {
  private readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private ended = false;
  private waiter?: () => void;
  private readonly ready: Promise<void>;
  error?: Error;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.waiter?.();
    });
    this.socket.on('error', (e) => {
      this.error = e;
      this.ended = true;
      this.waiter?.();
    });
    this.socket.on('close', () => {
      this.ended = true;
      this.waiter?.();
    });
  }

  /** Whether the server has closed (or reset) the connection. */
  get closed(): boolean {
    return this.ended;
  }

  /** Writes the bytes and reads one final response; rejects when the connection ends without one. */
  async exchange(bytes: Buffer | string, options: { headRequest?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
    await this.ready;
    if (this.ended) throw new Error('the connection was already closed');
    this.socket.write(bytes);
    return this.read(options.headRequest ?? false, options.timeoutMs ?? 10_000);
  }

  private read(headRequest: boolean, timeoutMs: number): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const interim: number[] = [];
      const timer = setTimeout(() => finish(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
      const finish = (result: RawResponse | Error) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const attempt = () => {
        for (;;) {
          const parsed = parseResponse(this.buffer, headRequest, this.ended);
          if (parsed === 'incomplete') {
            if (this.ended) finish(new Error(`the connection ended without a complete answer${this.error ? ` (${this.error.message})` : ''}`));
            return;
          }
          if (parsed === 'invalid') {
            finish(new Error(`unreadable answer: ${JSON.stringify(this.buffer.subarray(0, 200).toString('latin1'))}`));
            return;
          }
          this.buffer = this.buffer.subarray(parsed.consumed);
          if (parsed.response.status >= 100 && parsed.response.status < 200) {
            interim.push(parsed.response.status);
            continue;
          }
          finish({ ...parsed.response, interim });
          return;
        }
      };
      this.waiter = attempt;
      attempt();
    });
  }

  /** Bytes the server sent that no request asked for. */
  get unread(): number {
    return this.buffer.length;
  }

  close(): void {
    this.socket.destroy();
  }
}

type Parsed = { response: Omit<RawResponse, 'interim'>; consumed: number } | 'incomplete' | 'invalid';

function parseResponse(buffer: Buffer, headRequest: boolean, ended: boolean): Parsed {
  const headEnd = buffer.indexOf('\r\n\r\n');
  if (headEnd < 0) return 'incomplete';
  const lines = buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]);
  if (!statusLine) return 'invalid';
  const status = Number(statusLine[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) return 'invalid';
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const start = headEnd + 4;
  if (headRequest || status < 200 || status === 204 || status === 304) return { response: { status, headers, body: '' }, consumed: start };
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (buffer.length < start + length) return 'incomplete';
    return { response: { status, headers, body: buffer.subarray(start, start + length).toString('utf8') }, consumed: start + length };
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    let offset = start;
    const chunks: Buffer[] = [];
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', offset);
      if (lineEnd < 0) return 'incomplete';
      const size = parseInt(buffer.subarray(offset, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) return 'invalid';
      if (size === 0) {
        const trailerEnd = buffer.indexOf('\r\n\r\n', lineEnd);
        if (trailerEnd < 0 && buffer.indexOf('\r\n', lineEnd + 2) !== lineEnd + 2) return 'incomplete';
        const end = trailerEnd >= 0 ? trailerEnd + 4 : lineEnd + 4;
        return { response: { status, headers, body: Buffer.concat(chunks).toString('utf8') }, consumed: end };
      }
      if (buffer.length < lineEnd + 2 + size + 2) return 'incomplete';
      chunks.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  // No length: the body runs until the server closes the connection.
  if (!ended) return 'incomplete';
  return { response: { status, headers, body: buffer.subarray(start).toString('utf8') }, consumed: buffer.length };
}
