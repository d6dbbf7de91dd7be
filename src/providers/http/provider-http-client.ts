import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import { ProviderError } from '../../domain/provider-error';

/** Upper bound on one carrier answer. A search page is a few KiB; anything near this is garbage. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ProviderRequest {
  method?: 'GET' | 'POST';
  url: string;
  /** Already encoded by the adapter: carriers disagree on array and bracket encodings. */
  query?: URLSearchParams;
  headers?: Record<string, string>;
  /** A form body (Sinch's OAuth token request). */
  form?: URLSearchParams;
  signal: AbortSignal;
}

export class ProviderResponse {
  constructor(
    readonly provider: string,
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  /** Parses the body as JSON, or fails as bad_response (HTML error pages, truncated bodies, empty bodies). */
  json(): unknown {
    try {
      return JSON.parse(this.body) as unknown;
    } catch {
      throw new ProviderError({
        provider: this.provider,
        kind: 'bad_response',
        httpStatus: this.status,
        message: `answered HTTP ${this.status} with a body that is not JSON (${describeBody(this.body)})`,
      });
    }
  }

  /** Like json(), but an unparseable body yields undefined (used on error statuses, whose bodies vary). */
  jsonOrUndefined(): unknown {
    try {
      return JSON.parse(this.body) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** A short, log-safe description of a body that could not be read: its size and first printable bytes. */
export function describeBody(body: string): string {
  if (body.length === 0) return 'empty body';
  const head = body.slice(0, 40).replace(/[^\x20-\x7e]/g, '?');
  return `${body.length} bytes starting "${head}"`;
}

/** HTTP for one carrier: every failure below HTTP becomes a ProviderError naming that carrier. */
export interface ProviderHttp {
  request(req: ProviderRequest): Promise<ProviderResponse>;
}

export interface ProviderHttpOptions {
  maxResponseBytes?: number;
  /** Sockets kept per carrier host; a slow carrier cannot hold more than this many open. */
  maxSockets?: number;
}

/**
 * The one place carrier HTTP happens: keep-alive agents shared by all adapters, a response-size cap,
 * cancellation through the caller's AbortSignal (which destroys the socket, so an abandoned call does not
 * linger), and error mapping that never copies request headers (credentials) into messages.
 */
export class ProviderHttpClient {
  private readonly maxResponseBytes: number;

  constructor(
    private readonly client: AxiosInstance,
    options: ProviderHttpOptions = {},
  ) {
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** A client with its own keep-alive agents (the composition makes one for all carriers). */
  static create(options: ProviderHttpOptions = {}): ProviderHttpClient {
    return new ProviderHttpClient(createAxios(options), options);
  }

  forProvider(provider: string): ProviderHttp {
    return { request: (req) => this.request(provider, req) };
  }

  async request(provider: string, req: ProviderRequest): Promise<ProviderResponse> {
    const query = req.query?.toString();
    const url = query ? `${req.url}${req.url.includes('?') ? '&' : '?'}${query}` : req.url;
    const headers: Record<string, string> = { 'user-agent': 'numbers-gateway/1.0', ...req.headers };
    const config: AxiosRequestConfig<string> = {
      method: req.method ?? 'GET',
      url,
      headers,
      signal: req.signal,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      maxContentLength: this.maxResponseBytes,
      decompress: true,
    };
    if (req.form) {
      config.data = req.form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (req.signal.aborted) throw aborted(provider);
    try {
      const res = await this.client.request<string>(config);
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers ?? {})) {
        if (v !== undefined && v !== null) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      return new ProviderResponse(provider, res.status, flat, typeof res.data === 'string' ? res.data : '');
    } catch (e) {
      throw toProviderError(provider, e, req.signal, this.maxResponseBytes);
    }
  }
}

export function createAxios(options: ProviderHttpOptions = {}) {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, maxFreeSockets: 16, timeout: 60_000 };
  return axios.create({
    httpAgent: new http.Agent(agentOptions),
    httpsAgent: new https.Agent(agentOptions),
    proxy: false,
    maxContentLength: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  });
}

function aborted(provider: string): ProviderError {
  return new ProviderError({ provider, kind: 'timeout', message: 'the call was cancelled when its time budget ran out' });
}

/** Maps transport failures. Messages are ours, never axios's (which may quote the URL or headers). */
function toProviderError(provider: string, e: unknown, signal: AbortSignal, maxBytes: number): ProviderError {
  if (e instanceof ProviderError) return e;
  if (signal.aborted || axios.isCancel(e)) return aborted(provider);
  const err = e as AxiosError & { code?: string };
  const code = err?.code ?? '';
  if (typeof err?.message === 'string' && err.message.includes('maxContentLength')) {
    return new ProviderError({ provider, kind: 'bad_response', message: `answered with a body larger than ${maxBytes} bytes` });
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new ProviderError({ provider, kind: 'unavailable', message: 'refused the connection' });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return new ProviderError({ provider, kind: 'unavailable', message: 'closed the connection before answering' });
    case 'ETIMEDOUT':
    case 'ECONNABORTED':
      return new ProviderError({ provider, kind: 'timeout', message: 'did not answer in time' });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ProviderError({ provider, kind: 'unavailable', message: 'its host name could not be resolved' });
    case 'ERR_BAD_RESPONSE':
      return new ProviderError({ provider, kind: 'bad_response', message: 'sent a response that could not be read' });
    default:
      return new ProviderError({
        provider,
        kind: 'unavailable',
        message: `could not be reached (${code || 'network error'})`,
      });
  }
}
