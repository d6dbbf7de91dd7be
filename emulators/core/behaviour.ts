import { OPERATION_KINDS, type CarrierOptions, type OperationKind } from './carrier';
import { ECHO_FORMS, type EchoForm } from './credentials-echo';

/**
 * What a test (or the demo, or a soak run) can make a carrier do. Faults model what real carriers and
 * networks do to a client: errors in the carrier's own format, rate limits, broken bodies, silence.
 */
export type Fault =
  | { type: 'none' }
  /** The carrier's own error body for this HTTP status (401, 403, 404, 500, 503, ...). */
  | { type: 'error'; status: number }
  /** The carrier's own 429 with its rate-limit headers. */
  | { type: 'rate_limit'; retryAfterSeconds?: number }
  /** 200 with a body that is not JSON / not XML. */
  | { type: 'garbage' }
  /** 502 with an HTML page, as a load balancer in front of the carrier sends. */
  | { type: 'html' }
  /** 200 with valid JSON of the wrong shape. */
  | { type: 'wrong_shape' }
  /** Headers and half the body, then the connection is destroyed. */
  | { type: 'truncated' }
  /** Accepts the request and never answers. */
  | { type: 'hang' }
  /** Destroys the connection without answering. */
  | { type: 'reset' }
  /** A 200 body of this many bytes (to test the response-size cap). */
  | { type: 'oversized'; bytes?: number }
  /**
   * A well-formed 200 search answer in the carrier's own format holding as many distinct numbers matching the
   * search as fit in `bytes` (default FLOOD_BYTES, just under the service's 1 MiB body cap), whatever limit was
   * asked: a carrier that ignores the page size. Carriers without a flood rendering answer their own 500.
   */
  | { type: 'flood'; bytes?: number }
  /**
   * The carrier's own error body (status 401 unless given) whose message echoes the credentials the request
   * carried (Authorization header, Basic user:password, Bearer token, credential query or form fields) in
   * each of `forms` (default all: raw, base64, url, json), as a carrier that quotes the request back does.
   */
  | { type: 'echo_credentials'; status?: number; forms?: EchoForm[] }
  /**
   * The answer is lost after the carrier acted: it handles the request (a purchase is committed, counted and
   * owned), then destroys the connection without answering.
   */
  | { type: 'commit_then_reset' }
  /** The carrier handles the request, then answers its own error for this status instead (default 500). */
  | { type: 'commit_then_error'; status?: number }
  /** The carrier handles the request, then never answers: the client's timeout ends the call. */
  | { type: 'commit_then_hang' };

export type FaultType = Fault['type'];

/** The flood fault's default body size: under the service's 1 MiB cap on a carrier's body, so it is read whole. */
export const FLOOD_BYTES = 1_000_000;

/** Which requests a fault hits: operation kinds, or 'ordering' for purchase, status, lookup and release. */
export type FaultScope = OperationKind | 'ordering';
const FAULT_SCOPES: readonly FaultScope[] = [...OPERATION_KINDS, 'ordering'];
const ORDERING: readonly OperationKind[] = ['purchase', 'status', 'lookup', 'release'];

/** Whether a fault scoped to `scope` (absent: every request) hits a request of this kind. */
export function inScope(scope: readonly FaultScope[] | undefined, kind: OperationKind): boolean {
  return scope === undefined || scope.some((s) => s === kind || (s === 'ordering' && ORDERING.includes(kind)));
}

export interface Behaviour {
  /** Added before answering (also before faults, except reset and hang). */
  latencyMs: number;
  fault: Fault;
  /** Apply the fault to this many requests only, then answer normally again. Absent: every request. */
  faultTimes?: number;
  /** Probability in [0,1] that a request gets the fault (soak runs). Absent: 1. */
  faultRate?: number;
  /** Only requests of these kinds get the fault (and count towards faultTimes). Absent: every request. */
  faultOn?: FaultScope[];
  /** Carrier-specific switches (see each carrier's emulator). */
  options: CarrierOptions;
}

export function defaultBehaviour(): Behaviour {
  return { latencyMs: 0, fault: { type: 'none' }, options: {} };
}

const FAULT_TYPES: readonly FaultType[] = [
  'none', 'error', 'rate_limit', 'garbage', 'html', 'wrong_shape', 'truncated', 'hang', 'reset', 'oversized', 'flood', 'echo_credentials',
  'commit_then_reset', 'commit_then_error', 'commit_then_hang',
];

/** Validates a behaviour patch sent over the control API. Throws with a readable message. */
export function parseBehaviourPatch(input: unknown): Partial<Behaviour> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('body must be a JSON object');
  const o = input as Record<string, unknown>;
  const out: Partial<Behaviour> = {};
  if ('latencyMs' in o) {
    if (typeof o.latencyMs !== 'number' || o.latencyMs < 0) throw new Error('latencyMs must be a number >= 0');
    out.latencyMs = o.latencyMs;
  }
  if ('fault' in o) {
    const f = o.fault as Record<string, unknown>;
    if (typeof f !== 'object' || f === null || !FAULT_TYPES.includes(f.type as FaultType)) {
      throw new Error(`fault.type must be one of ${FAULT_TYPES.join(', ')}`);
    }
    if (f.type === 'error' && typeof f.status !== 'number') throw new Error('fault.status is required for type error');
    if (f.type === 'flood' && f.bytes !== undefined && (typeof f.bytes !== 'number' || f.bytes < 1)) throw new Error('fault.bytes must be a number >= 1');
    if (f.type === 'echo_credentials') {
      if (f.status !== undefined && (typeof f.status !== 'number' || f.status < 400 || f.status > 599)) throw new Error('fault.status must be an HTTP error status (400-599)');
      if (f.forms !== undefined && (!Array.isArray(f.forms) || !f.forms.every((x) => ECHO_FORMS.includes(x as EchoForm)))) {
        throw new Error(`fault.forms must be a list of ${ECHO_FORMS.join(', ')}`);
      }
    }
    out.fault = f as unknown as Fault;
  }
  if ('faultTimes' in o) {
    if (o.faultTimes !== undefined && (typeof o.faultTimes !== 'number' || o.faultTimes < 0)) throw new Error('faultTimes must be a number >= 0');
    out.faultTimes = o.faultTimes as number | undefined;
  }
  if ('faultOn' in o) {
    const scope = o.faultOn;
    if (scope !== undefined && (!Array.isArray(scope) || !scope.every((x) => FAULT_SCOPES.includes(x as FaultScope)))) {
      throw new Error(`faultOn must be an array of ${FAULT_SCOPES.join(', ')}`);
    }
    out.faultOn = scope as FaultScope[] | undefined;
  }
  if ('faultRate' in o) {
    if (o.faultRate !== undefined && (typeof o.faultRate !== 'number' || o.faultRate < 0 || o.faultRate > 1)) throw new Error('faultRate must be in [0,1]');
    out.faultRate = o.faultRate as number | undefined;
  }
  if ('options' in o) {
    if (typeof o.options !== 'object' || o.options === null) throw new Error('options must be an object');
    out.options = o.options as CarrierOptions;
  }
  return out;
}
