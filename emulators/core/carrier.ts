import type { IncomingHttpHeaders } from 'node:http';
import type { CarrierAccount } from './account';
import type { InventoryNumber } from './inventory';

/**
 * What a request asks the carrier to do: faults can be scoped to kinds (behaviour.faultOn), and the request
 * log names the kind of each request.
 */
export const OPERATION_KINDS = ['search', 'token', 'purchase', 'status', 'lookup', 'release', 'other'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** A request as a carrier emulator sees it (path below the carrier's prefix, query still raw). */
export interface EmuRequest {
  method: string;
  /** Path below the carrier prefix, e.g. '/v2/available_phone_numbers'. */
  path: string;
  /** The raw query string without '?', exactly as sent (so tests can assert encodings). */
  rawQuery: string;
  /** Decoded query pairs in order, repeated keys kept. */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** Carrier-specific switches a test can flip (Telnyx best_effort items, Vonage empty shape, ...). */
export type CarrierOptions = Record<string, unknown>;

export interface CarrierContext {
  /** This carrier's share of the emulated world that is still for sale (no number sold at any carrier). */
  inventory: readonly InventoryNumber[];
  /** This carrier's account: owned numbers, orders, purchase counts (cleared by POST /_emulator/reset). */
  account: CarrierAccount;
  /** One clock reading per request (epoch ms). */
  now: number;
  options: CarrierOptions;
  /** Credentials the emulator accepts, as given at start-up. */
  credentials: Readonly<Record<string, string>>;
  /** The emulator's root URL (http://127.0.0.1:PORT), for carriers that return absolute links. */
  rootUrl: string;
}

/**
 * One emulated carrier: a faithful imitation of that carrier's search API, written from
 * docs/carriers/. It must reject what the real API rejects (auth, required parameters, enums).
 */
export interface CarrierEmulator {
  readonly name: string;
  /** Path prefix under the emulator root, e.g. '/telnyx'. */
  readonly prefix: string;
  /** Default credentials the emulator accepts. */
  readonly defaultCredentials: Readonly<Record<string, string>>;
  /** Which numbers of the world this carrier holds (country/type coverage). */
  holds(n: InventoryNumber): boolean;
  /** Environment lines pointing the service at this emulator. */
  env(rootUrl: string, credentials: Readonly<Record<string, string>>): Record<string, string>;
  /** What the request asks for (its path and method decide; an unknown path is 'other'). */
  operation(req: EmuRequest): OperationKind;
  handle(req: EmuRequest, ctx: CarrierContext): EmuResponse | Promise<EmuResponse>;
  /**
   * The carrier's own error response for a scripted failure with this HTTP status; `message`, when given,
   * is put where the carrier writes its human-readable text (the echo_credentials fault).
   */
  errorResponse(status: number, message?: string): EmuResponse;
  /** The carrier's own 429, with its rate-limit headers. */
  rateLimitResponse(retryAfterSeconds: number | undefined): EmuResponse;
  /**
   * The flood fault's answer to a search: a well-formed 200 with as many distinct numbers matching it as fit in
   * `bytes` (floodNumbers makes them). Absent: the carrier answers the fault with its own 500.
   */
  floodResponse?(req: EmuRequest, bytes: number): EmuResponse;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** Reads Basic credentials; undefined when absent or malformed. */
export function readBasic(headers: IncomingHttpHeaders): { user: string; password: string } | undefined {
  const h = headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(h.trim());
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/** Reads a Bearer token; undefined when absent or malformed. */
export function readBearer(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m ? m[1] : undefined;
}
