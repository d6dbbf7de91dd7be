import type { FailedOrder, OrderError, OrderErrorCode, UnknownOrder } from '../../domain/number-ordering';
import type { ProviderHttp, ProviderRequest, ProviderResponse } from '../http/provider-http-client';
import { retryAfterSeconds } from '../http/retry-after';
import { isProviderError } from '../../domain/provider-error';

/**
 * The pieces every carrier's ordering adapter shares: sending one call and turning a transport failure into
 * `unknown`, what an HTTP status says before any carrier code, and an operator's fix for each error code.
 */
export interface CarrierLabel {
  /** The carrier's display name in messages ('Twilio'). */
  name: string;
  /** The variables holding its credentials, named in the fix for auth_failed. */
  credentials: string;
}

/** What an operator can do about each error (the carrier's own text goes in the message). */
function defaultFix(code: OrderErrorCode, carrier: CarrierLabel, retryAfter?: number): string {
  switch (code) {
    case 'number_unavailable':
      return 'Search again and order one of the numbers offered now.';
    case 'already_owned':
      return `The ${carrier.name} account already holds this number: reconcile the order instead of buying it again.`;
    case 'insufficient_funds':
      return `Add funds to the ${carrier.name} account, then place the order again.`;
    case 'regulatory_requirements':
      return `Provide the address, identity or documents ${carrier.name} requires for numbers of this country, then order again.`;
    case 'invalid_number':
      return 'Order the number exactly as the search returned it (E.164, e.g. +14155550123).';
    case 'account_restricted':
      return `The ${carrier.name} account may not buy this number (trial, locked or restricted account): upgrade it or contact ${carrier.name}.`;
    case 'auth_failed':
      return `Check ${carrier.credentials}: ${carrier.name} rejected them.`;
    case 'rate_limited':
      return retryAfter !== undefined ? `Wait ${retryAfter} s before ordering from ${carrier.name} again.` : `Wait before ordering from ${carrier.name} again.`;
    case 'invalid_request':
      return `${carrier.name} rejected the request as malformed: a defect or a configuration mistake, not something a retry fixes.`;
    case 'carrier_error':
      return `${carrier.name} could not process the order and nothing was bought: place it again later.`;
    default: {
      const never: never = code;
      return never;
    }
  }
}

export function orderError(
  carrier: CarrierLabel,
  code: OrderErrorCode,
  message: string,
  extra: { providerCode?: string; fix?: string; retryAfterSeconds?: number } = {},
): OrderError {
  return {
    code,
    message: message.slice(0, 300),
    ...(extra.providerCode !== undefined ? { providerCode: extra.providerCode } : {}),
    fix: extra.fix ?? defaultFix(code, carrier, extra.retryAfterSeconds),
    ...(extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: extra.retryAfterSeconds } : {}),
  };
}

export function failed(
  carrier: CarrierLabel,
  code: OrderErrorCode,
  message: string,
  extra: { providerCode?: string; fix?: string; retryAfterSeconds?: number } = {},
): FailedOrder {
  return { state: 'failed', error: orderError(carrier, code, message, extra) };
}

export function unknown(reason: string): UnknownOrder {
  return { state: 'unknown', reason };
}

/**
 * Sends one call. A transport failure (timeout, reset, refused, unreadable) resolves to `unknown`: the carrier
 * may have acted on it. Anything else thrown is a bug and rethrown.
 */
export async function sendCall(http: ProviderHttp, req: ProviderRequest, carrier: CarrierLabel): Promise<ProviderResponse | UnknownOrder> {
  try {
    return await http.request(req);
  } catch (e) {
    if (isProviderError(e)) return unknown(`${carrier.name} ${e.message} (${e.kind})`);
    throw e;
  }
}

/** Whether a call's result (or a look-up's) is an `unknown` outcome rather than an answer. */
export function isUnknown(x: unknown): x is UnknownOrder {
  return typeof x === 'object' && x !== null && (x as UnknownOrder).state === 'unknown';
}

/**
 * What the HTTP status settles before any carrier code: 401/403 auth_failed, 429 rate_limited (with the
 * carrier's wait), 5xx unknown (the carrier may have acted before failing). Undefined: the body decides.
 */
export function byHttpStatus(res: ProviderResponse, carrier: CarrierLabel, providerCode?: string): FailedOrder | UnknownOrder | undefined {
  if (res.status === 401 || res.status === 403) {
    return failed(carrier, 'auth_failed', `${carrier.name} refused the credentials (HTTP ${res.status})`, { providerCode });
  }
  if (res.status === 429) {
    const wait = retryAfterSeconds((h) => res.header(h));
    return failed(carrier, 'rate_limited', `${carrier.name} rate limit reached (HTTP 429)`, { providerCode, retryAfterSeconds: wait });
  }
  if (res.status >= 500) return unknown(`${carrier.name} answered HTTP ${res.status}`);
  return undefined;
}
