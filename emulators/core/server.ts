import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Behaviour, defaultBehaviour, parseBehaviourPatch } from './behaviour';
import type { CarrierEmulator, EmuRequest, EmuResponse } from './carrier';
import { CREDENTIAL_FIELD, ECHO_FORMS, echoText, receivedCredentials } from './credentials-echo';
import { carrierInventory, generateInventory, type InventoryNumber } from './inventory';

/** One request as the emulator received it, for tests to assert the exact wire format. */
export interface LoggedRequest {
  carrier: string;
  method: string;
  path: string;
  rawQuery: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  /** What the emulator did: 'answered', or the fault type. */
  outcome: string;
  status?: number;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  seed?: string;
  /** Per-carrier credentials overriding each carrier's defaults. */
  credentials?: Record<string, Record<string, string>>;
  /** Behaviour at start-up, per carrier. */
  behaviours?: Record<string, Partial<Behaviour>>;
}

class CarrierState {
  behaviour: Behaviour = defaultBehaviour();
  faultsServed = 0;
  requests: LoggedRequest[] = [];
  /** Requests currently being handled (for tests that check aborted calls really closed). */
  open = 0;
  constructor(
    readonly emulator: CarrierEmulator,
    readonly inventory: InventoryNumber[],
    readonly credentials: Record<string, string>,
  ) {}
}

/** Most requests kept per carrier, so a long soak run does not grow without bound. */
const MAX_LOGGED = 5000;

/**
 * One HTTP server hosting every carrier under its own prefix (/telnyx, /twilio, ...) plus a control API
 * under /_emulator for tests: behaviours (latency, faults), request logs and counters.
 */
export class EmulatorServer {
  private readonly server: http.Server;
  private readonly carriers = new Map<string, CarrierState>();
  private readonly sockets = new Set<Socket>();
  private readonly allNumbers: InventoryNumber[];
  private rootUrl = '';

  constructor(
    carriers: readonly CarrierEmulator[],
    private readonly options: EmulatorOptions = {},
  ) {
    this.allNumbers = generateInventory(options.seed);
    for (const c of carriers) {
      const state = new CarrierState(
        c,
        carrierInventory(this.allNumbers, c.name, (n) => c.holds(n)),
        { ...c.defaultCredentials, ...(options.credentials?.[c.name] ?? {}) },
      );
      const initial = options.behaviours?.[c.name];
      if (initial) state.behaviour = { ...state.behaviour, ...initial };
      this.carriers.set(c.name, state);
    }
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.rootUrl = `http://${this.options.host ?? '127.0.0.1'}:${port}`;
    return this.rootUrl;
  }

  get url(): string {
    return this.rootUrl;
  }

  /** Environment pointing the service at every carrier here. */
  env(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of this.carriers.values()) Object.assign(out, s.emulator.env(this.rootUrl, s.credentials));
    return out;
  }

  carrierNames(): string[] {
    return [...this.carriers.keys()];
  }

  /** The numbers a carrier holds (tests compute expected answers from it). */
  inventory(carrier: string): readonly InventoryNumber[] {
    return this.state(carrier).inventory;
  }

  /** Every number of the emulated world, whichever carrier holds it. */
  world(): readonly InventoryNumber[] {
    return this.allNumbers;
  }

  setBehaviour(carrier: string, patch: Partial<Behaviour>): void {
    const s = this.state(carrier);
    s.behaviour = { ...s.behaviour, ...patch };
    s.faultsServed = 0;
  }

  requests(carrier: string): readonly LoggedRequest[] {
    return this.state(carrier).requests;
  }

  /** Requests still being answered (hanging or slow) for a carrier. */
  openRequests(carrier: string): number {
    return this.state(carrier).open;
  }

  clearRequests(carrier?: string): void {
    for (const s of carrier ? [this.state(carrier)] : this.carriers.values()) s.requests = [];
  }

  reset(): void {
    for (const s of this.carriers.values()) {
      s.behaviour = defaultBehaviour();
      s.faultsServed = 0;
      s.requests = [];
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private state(carrier: string): CarrierState {
    const s = this.carriers.get(carrier);
    if (!s) throw new Error(`no emulated carrier named ${carrier}`);
    return s;
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    if (path.startsWith('/_emulator')) return this.control(req.method ?? 'GET', path, body, res);
    const state = [...this.carriers.values()].find(
      (s) => path === s.emulator.prefix || path.startsWith(`${s.emulator.prefix}/`),
    );
    if (!state) return send(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'no such emulated carrier' });
    const emuReq: EmuRequest = {
      method: req.method ?? 'GET',
      path: path.slice(state.emulator.prefix.length) || '/',
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers: req.headers,
      body,
    };
    const logged: LoggedRequest = {
      carrier: state.emulator.name,
      method: emuReq.method,
      path: emuReq.path,
      rawQuery,
      headers: req.headers,
      body,
      at: Date.now(),
      outcome: 'answered',
    };
    state.requests.push(logged);
    if (state.requests.length > MAX_LOGGED) state.requests.splice(0, state.requests.length - MAX_LOGGED);
    state.open++;
    res.on('close', () => state.open--);
    await this.answer(state, emuReq, logged, req, res);
  }

  private async answer(
    state: CarrierState,
    emuReq: EmuRequest,
    logged: LoggedRequest,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const b = state.behaviour;
    const faultApplies =
      b.fault.type !== 'none' &&
      (b.faultTimes === undefined || state.faultsServed < b.faultTimes) &&
      (b.faultRate === undefined || Math.random() < b.faultRate);
    const fault = faultApplies ? b.fault : ({ type: 'none' } as const);
    if (faultApplies) {
      state.faultsServed++;
      logged.outcome = fault.type;
    }
    if (fault.type === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault.type === 'hang') return; // never answer; the client must give up and close
    if (b.latencyMs > 0) {
      const closed = await delayUnlessClosed(b.latencyMs, res);
      if (closed) return;
    }
    const emu = state.emulator;
    let response: EmuResponse;
    switch (fault.type) {
      case 'error':
        response = emu.errorResponse(fault.status);
        break;
      case 'rate_limit':
        response = emu.rateLimitResponse(fault.retryAfterSeconds);
        break;
      case 'garbage':
        response = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data": [ {"phone_number": "+1415' };
        break;
      case 'html':
        response = {
          status: 502,
          headers: { 'content-type': 'text/html' },
          body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
        };
        break;
      case 'wrong_shape':
        response = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"unexpected":true,"items":"none"}' };
        break;
      case 'echo_credentials':
        response = emu.errorResponse(fault.status ?? 401, echoText(receivedCredentials(emuReq), fault.forms ?? ECHO_FORMS));
        break;
      case 'oversized': {
        const bytes = fault.bytes ?? 8 * 1024 * 1024;
        response = { status: 200, headers: { 'content-type': 'application/json' }, body: `{"padding":"${'x'.repeat(bytes)}"}` };
        break;
      }
      case 'truncated': {
        const full = await emu.handle(emuReq, this.context(state));
        const body = Buffer.from(full.body);
        res.writeHead(200, { ...full.headers, 'content-length': String(body.length) });
        res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      case 'none':
        response = await emu.handle(emuReq, this.context(state));
        break;
    }
    logged.status = response.status;
    send(res, response);
  }

  private context(state: CarrierState) {
    return {
      inventory: state.inventory,
      options: state.behaviour.options,
      credentials: state.credentials,
      rootUrl: this.rootUrl,
    };
  }

  /** The control API: JSON over HTTP, for tests in other processes and for the demo. */
  private control(method: string, path: string, body: string, res: http.ServerResponse): void {
    const parts = path.split('/').filter(Boolean); // ['_emulator', 'carriers', name, 'behaviour']
    try {
      if (parts.length === 2 && parts[1] === 'health') return send(res, jsonRes(200, { status: 'ok' }));
      if (parts.length === 2 && parts[1] === 'reset' && method === 'POST') {
        this.reset();
        return send(res, jsonRes(200, { reset: true }));
      }
      if (parts.length === 2 && parts[1] === 'env') return send(res, jsonRes(200, this.env()));
      if (parts[1] === 'carriers' && parts.length === 4) {
        const name = parts[2];
        const s = this.state(name);
        if (parts[3] === 'behaviour') {
          if (method === 'PUT' || method === 'POST') {
            this.setBehaviour(name, parseBehaviourPatch(JSON.parse(body || '{}')));
          }
          return send(res, jsonRes(200, s.behaviour));
        }
        if (parts[3] === 'requests') {
          if (method === 'DELETE') this.clearRequests(name);
          return send(res, jsonRes(200, { count: s.requests.length, open: s.open, requests: s.requests.map(redacted) }));
        }
      }
      send(res, jsonRes(404, { error: 'unknown control path' }));
    } catch (e) {
      send(res, jsonRes(400, { error: (e as Error).message }));
    }
  }
}

const REDACTED = '[REDACTED]';
/** Headers that carry credentials whatever their value looks like. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie']);

/**
 * A logged request as the control API serves it, with every credential replaced: the control API is
 * plain HTTP that anyone who reaches the port can read. The scheme of an Authorization header stays
 * (Basic or Bearer says which auth the service used); query and form fields named like credentials
 * (Vonage's api_secret, OAuth client_secret, tokens) keep their name. Tests in this process read the
 * log as received through requests(), to assert exact wire formats.
 */
export function redacted(r: LoggedRequest): LoggedRequest {
  const headers: http.IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(r.headers)) {
    if (!CREDENTIAL_HEADERS.has(name)) headers[name] = value;
    else headers[name] = typeof value === 'string' && /^(basic|bearer)\s/i.test(value) ? `${value.split(/\s/)[0]} ${REDACTED}` : REDACTED;
  }
  return { ...r, headers, rawQuery: redactPairs(r.rawQuery), body: redactBody(r.body) };
}

/** `a=1&api_secret=x` → `a=1&api_secret=[REDACTED]`, the rest exactly as sent. */
function redactPairs(raw: string): string {
  if (raw === '') return raw;
  return raw
    .split('&')
    .map((pair) => {
      const i = pair.indexOf('=');
      const name = i < 0 ? pair : pair.slice(0, i);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed name is kept as sent.
      }
      return i >= 0 && CREDENTIAL_FIELD.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

function redactBody(body: string): string {
  if (body.trimStart().startsWith('{') || body.trimStart().startsWith('[')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(body)));
    } catch {
      return body.length > 0 ? REDACTED : body; // not readable, so not known to be free of credentials
    }
  }
  return redactPairs(body);
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, CREDENTIAL_FIELD.test(k) && typeof v !== 'object' ? REDACTED : redactJson(v)]));
}

function jsonRes(status: number, body: unknown): EmuResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function send(res: http.ServerResponse, r: EmuResponse): void {
  if (res.destroyed) return;
  const body = Buffer.from(r.body);
  res.writeHead(r.status, { ...r.headers, 'content-length': String(body.length) });
  res.end(body);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

/** Waits, unless the client goes away first (returns true then). */
function delayUnlessClosed(ms: number, res: http.ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(false);
    }, ms);
    res.once('close', onClose);
  });
}
