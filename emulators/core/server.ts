import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CarrierAccount, type EmulatedOrder, type OwnedNumber } from './account';
import { type Behaviour, defaultBehaviour, FLOOD_BYTES, inScope, parseBehaviourPatch } from './behaviour';
import type { CarrierContext, CarrierEmulator, EmuRequest, EmuResponse, OperationKind } from './carrier';
import { ECHO_FORMS, echoText, receivedCredentials } from './credentials-echo';
import { carrierInventory, generateInventory, type InventoryNumber } from './inventory';
import { redactBody, redactHeaders, redactPairs } from './redact';
import { SoldNumbers } from './sold-numbers';

/**
 * One request as the emulator received it, for tests to assert the exact wire format. Credentials are
 * redacted (Authorization, secret-named query and form parameters, JSON members): see redact.ts.
 */
export interface LoggedRequest {
  carrier: string;
  method: string;
  path: string;
  rawQuery: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  /**
   * When the request arrived and when its answer was fully handed to the socket, in milliseconds of this
   * process's high-resolution clock (performance.now()): their difference is the time the carrier took, as a
   * benchmark subtracts it from a search's latency.
   */
  receivedMs: number;
  answeredMs?: number;
  /** What the request asked for (search, purchase, status, lookup, release, token, other). */
  operation: OperationKind;
  /** What the emulator did: 'answered', or the fault type. */
  outcome: string;
  /** The status answered; for commit_then_reset and commit_then_hang, the one the lost answer would have had. */
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
  readonly account: CarrierAccount;
  private forSale: { version: number; numbers: readonly InventoryNumber[] } | undefined;

  constructor(
    readonly emulator: CarrierEmulator,
    readonly inventory: InventoryNumber[],
    readonly credentials: Record<string, string>,
    private readonly sold: SoldNumbers,
  ) {
    this.account = new CarrierAccount(emulator.name, new Map(inventory.map((n) => [n.e164, n])), sold);
  }

  /**
   * The numbers still for sale. The same array until something is sold or returned, so the carriers'
   * per-inventory caches (the stable search shuffle) keep working.
   */
  available(): readonly InventoryNumber[] {
    if (this.forSale?.version !== this.sold.version) {
      const numbers = this.inventory.some((n) => this.sold.isTaken(n.e164)) ? this.inventory.filter((n) => !this.sold.isTaken(n.e164)) : this.inventory;
      this.forSale = { version: this.sold.version, numbers };
    }
    return this.forSale.numbers;
  }
}

/** Who holds a number sold outside the emulated accounts (sellElsewhere). */
const ANOTHER_CUSTOMER = 'another-customer';

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
  private readonly sold = new SoldNumbers();
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
        this.sold,
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

  /** The numbers a carrier still has for sale (tests compute expected answers from it). */
  inventory(carrier: string): readonly InventoryNumber[] {
    this.settle();
    return this.state(carrier).available();
  }

  /** How many purchase requests naming each number the carrier saw (since the last reset). */
  purchases(carrier: string): Record<string, number> {
    this.settle();
    return this.state(carrier).account.purchases();
  }

  /** The numbers on the carrier's emulated account. */
  owned(carrier: string): OwnedNumber[] {
    this.settle();
    return [...this.state(carrier).account.owned.values()];
  }

  /** The carrier's orders (purchases and disconnects of the carriers that have orders). */
  orders(carrier: string): EmulatedOrder[] {
    this.settle();
    return [...this.state(carrier).account.orders.values()];
  }

  /**
   * Sells a number to a customer outside the emulated accounts, as happens between a search and an order: it
   * leaves every carrier's search, and a purchase of it gets each carrier's "not available" answer. Until reset.
   */
  sellElsewhere(e164: string): void {
    if (!this.allNumbers.some((n) => n.e164 === e164)) throw new Error(`${e164} is not a number of the emulated world`);
    this.sold.take(e164, ANOTHER_CUSTOMER);
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

  /** Clears every behaviour and request log, and restores the inventory: no number sold, no account holds any. */
  reset(): void {
    this.sold.clear();
    for (const s of this.carriers.values()) {
      s.behaviour = defaultBehaviour();
      s.faultsServed = 0;
      s.requests = [];
      s.account.reset();
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Finishes whatever fell due (asynchronous orders, ended holds) before anything is read or answered. */
  private settle(now = Date.now()): void {
    for (const s of this.carriers.values()) s.account.settle(now);
    this.sold.settle(now);
  }

  private state(carrier: string): CarrierState {
    const s = this.carriers.get(carrier);
    if (!s) throw new Error(`no emulated carrier named ${carrier}`);
    return s;
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const received = performance.now();
    const body = await readBody(req);
    this.settle();
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
      rawQuery: redactPairs(rawQuery),
      headers: redactHeaders(req.headers),
      body: redactBody(body, req.headers['content-type']),
      at: Date.now(),
      receivedMs: received,
      operation: state.emulator.operation(emuReq),
      outcome: 'answered',
    };
    state.requests.push(logged);
    if (state.requests.length > MAX_LOGGED) state.requests.splice(0, state.requests.length - MAX_LOGGED);
    state.open++;
    res.on('close', () => state.open--);
    res.on('finish', () => (logged.answeredMs = performance.now()));
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
      inScope(b.faultOn, logged.operation) &&
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
      case 'flood':
        response = emu.floodResponse?.(emuReq, fault.bytes ?? FLOOD_BYTES) ?? emu.errorResponse(500);
        break;
      case 'truncated': {
        const full = await emu.handle(emuReq, this.context(state));
        const body = Buffer.from(full.body);
        res.writeHead(200, { ...full.headers, 'content-length': String(body.length) });
        res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      case 'commit_then_reset':
        logged.status = (await emu.handle(emuReq, this.context(state))).status;
        req.socket.destroy();
        return;
      case 'commit_then_hang':
        logged.status = (await emu.handle(emuReq, this.context(state))).status;
        return; // acted on, never answered
      case 'commit_then_error':
        await emu.handle(emuReq, this.context(state));
        response = emu.errorResponse(fault.status ?? 500);
        break;
      case 'none':
        response = await emu.handle(emuReq, this.context(state));
        break;
    }
    logged.status = response.status;
    send(res, response);
  }

  private context(state: CarrierState): CarrierContext {
    // Work may have fallen due during a scripted latency.
    const now = Date.now();
    this.settle(now);
    return {
      inventory: state.available(),
      account: state.account,
      now,
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
      if (parts.length === 3 && parts[1] === 'world' && parts[2] === 'sold' && method === 'POST') {
        const { phoneNumber } = JSON.parse(body || '{}') as { phoneNumber?: unknown };
        if (typeof phoneNumber !== 'string') throw new Error('body must be {"phoneNumber":"+1..."}');
        this.sellElsewhere(phoneNumber);
        return send(res, jsonRes(200, { sold: phoneNumber }));
      }
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
          return send(res, jsonRes(200, { count: s.requests.length, open: s.open, requests: s.requests }));
        }
        if (parts[3] === 'account') {
          return send(res, jsonRes(200, { purchases: this.purchases(name), owned: this.owned(name), orders: this.orders(name) }));
        }
      }
      send(res, jsonRes(404, { error: 'unknown control path' }));
    } catch (e) {
      send(res, jsonRes(400, { error: (e as Error).message }));
    }
  }
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
