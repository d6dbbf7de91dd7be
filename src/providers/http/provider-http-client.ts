import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import { ProviderError } from '../../domain/provider-error';
import { SecretScrubber } from '../../secrets/secret-scrubber';

/** Upper bound on one carrier answer. A search page is a few KiB; anything near this is garbage. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ProviderRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  url: string;
  /** Already encoded by the adapter: carriers disagree on array and bracket encodings. */
  query?: URLSearchParams;
  headers?: Record<string, string>;
  /** A form body (Sinch's OAuth token request, Twilio's and Vonage's purchases). */
  form?: URLSearchParams;
  /** Any other body, already serialised (JSON for Telnyx and Sinch, XML for Bandwidth). */
  body?: { contentType: string; text: string };
  /**
   * A request the carrier must see at most once (a purchase). It goes out on a connection of its own, never on
   * a pooled keep-alive socket that the carrier may be closing at that moment, and is never retried or
   * replayed by this client (nothing here retries: no retry interceptor, no redirects, and Node's HTTP client
   * does not resend a request whose socket failed). A failure then means "the carrier may have it".
   */
  sendOnce?: boolean;
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
  /** Told of every exchange with a carrier (the composition wires tracing here when traces are exported). */
  observer?: ExchangeObserver;
}

/**
 * Watches carrier exchanges without taking part in them: it learns the carrier, the method and the URL
 * (which may hold query credentials: it must reduce it before keeping any of it), never the request's own
 * headers (Authorization), and may add headers of its own (a traceparent). Its end() learns the status the
 * carrier answered, or the ProviderError the exchange failed with.
 */
export interface ExchangeObserver {
  start(exchange: { provider: string; method: string; url: string }): ObservedExchange;
}

export interface ObservedExchange {
  /** Sent with the request, below the adapter's own headers (which it can never replace). */
  readonly headers: Readonly<Record<string, string>>;
  end(outcome: { status: number } | { error: ProviderError }): void;
}

/**
 * The one place carrier HTTP happens: keep-alive agents shared by all adapters, a response-size cap,
 * cancellation through the caller's AbortSignal (which destroys the socket, so an abandoned call does not
 * linger), and error mapping that never copies request headers (credentials) into messages.
 */
export class ProviderHttpClient {
  private readonly maxResponseBytes: number;
  private readonly observer: ExchangeObserver | undefined;

  constructor(
    private readonly client: AxiosInstance,
    options: ProviderHttpOptions = {},
  ) {
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.observer = options.observer;
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
    const method = req.method ?? 'GET';
    if (req.signal.aborted) throw aborted(provider);
    const observed = this.observer?.start({ provider, method, url });
    const headers: Record<string, string> = { 'user-agent': 'numbers-gateway/1.0', ...observed?.headers, ...req.headers };
    const config: AxiosRequestConfig<string> = {
      method,
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
    } else if (req.body) {
      config.data = req.body.text;
      headers['content-type'] = req.body.contentType;
    }
    if (req.sendOnce) {
      config.httpAgent = ONE_SHOT_HTTP;
      config.httpsAgent = ONE_SHOT_HTTPS;
    }
    try {
      const res = await this.client.request<string>(config);
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers ?? {})) {
        if (v !== undefined && v !== null) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      const body = typeof res.data === 'string' ? res.data : '';
      const ok = res.status >= 200 && res.status < 300;
      observed?.end({ status: res.status });
      return new ProviderResponse(provider, res.status, flat, ok ? body : withoutSentCredentials(body, headers));
    } catch (e) {
      const error = toProviderError(provider, e, req.signal, this.maxResponseBytes);
      observed?.end({ error });
      throw error;
    }
  }
}

/**
 * An error body with the credentials this very request carried cut out, in every form the scrubber knows
 * (raw, base64, URL-encoded, JSON-escaped), before an adapter copies the carrier's message: a carrier that
 * quotes the request back must not hand our credentials on. Configured secrets are scrubbed again where
 * text leaves the service; this also covers credentials that are not configured, such as Sinch's
 * short-lived access token.
 */
function withoutSentCredentials(body: string, headers: Readonly<Record<string, string>>): string {
  const authorization = headers.authorization ?? headers.Authorization;
  if (body === '' || !authorization) return body;
  const [scheme, token = ''] = authorization.trim().split(/\s+/, 2);
  const values = [authorization, token];
  const basicPairs: { user: string; secret: string }[] = [];
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0) {
      values.push(decoded.slice(i + 1));
      basicPairs.push({ user: decoded.slice(0, i), secret: decoded.slice(i + 1) });
    }
  }
  return new SecretScrubber({ values, basicPairs }).scrub(body);
}

/** Agents that never pool: every request on a fresh connection, closed after its answer. */
const ONE_SHOT_HTTP = new http.Agent({ keepAlive: false });
const ONE_SHOT_HTTPS = new https.Agent({ keepAlive: false });

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
