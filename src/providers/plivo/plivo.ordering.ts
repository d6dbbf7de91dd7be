import type {
  CarrierOrderState,
  NumberOrdering,
  OrderCallContext,
  OrderErrorCode,
  OrderingSetup,
  PlacedOrder,
  PurchaseContext,
  ReleaseOutcome,
  UnknownOrder,
} from '../../domain/number-ordering';
import { basicAuth } from '../http/basic-auth';
import { E164 } from '../../domain/e164';
import type { ProviderHttp, ProviderRequest, ProviderResponse } from '../http/provider-http-client';
import { byHttpStatus, type CarrierLabel, failed, isUnknown, orderError, sendCall, unknown } from '../ordering/order-outcomes';
import type { ProviderDeps } from '../provider-definition';
import type { PlivoConfig } from './plivo.config';

const PLIVO: CarrierLabel = { name: 'Plivo', credentials: 'PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN' };

/** Plivo keeps an unrented number for 10 days before it returns to the carrier ([P-SUP-UNRENT]). */
const RELEASE_NOTE = 'Plivo holds an unrented number for 10 days before it returns to the carrier';

/**
 * Plivo errors carry no codes, only a message (ordering.md §4): the message is read for the few refusals it
 * names; any other 400 is invalid_request.
 */
const MESSAGE_CODES: readonly [RegExp, OrderErrorCode][] = [
  [/credit|balance|fund/i, 'insufficient_funds'],
  [/complian|verif|document|address|regulat/i, 'regulatory_requirements'],
  [/not available|not found|unavailable/i, 'number_unavailable'],
  [/invalid.*number|number.*invalid/i, 'invalid_number'],
];

interface BuyAnswer {
  numbers?: { number?: unknown; status?: unknown }[];
  status?: unknown;
}

/**
 * Buying at Plivo (docs/carriers/ordering.md §4): `POST /v1/Account/{auth_id}/PhoneNumber/{number}/` (digits
 * without '+'), 201 with per-number status: `Success` is bought; `pending` waits on the documents Plivo asks for by
 * email (the number activates afterwards). The account's number: `GET` and `DELETE /v1/Account/{auth_id}/Number/
 * {number}/`. There are no order ids: the number is the identifier.
 */
export class PlivoOrdering implements NumberOrdering {
  readonly provider = 'plivo';
  private readonly authorization: string;
  private readonly account: string;

  constructor(
    config: PlivoConfig,
    private readonly http: ProviderHttp,
  ) {
    this.authorization = basicAuth(config.authId, config.authToken);
    this.account = `${config.baseUrl}/v1/Account/${encodeURIComponent(config.authId)}`;
  }

  async purchase(phoneNumber: string, ctx: PurchaseContext): Promise<CarrierOrderState> {
    if (!E164.test(phoneNumber)) return failed(PLIVO, 'invalid_number', `"${phoneNumber.slice(0, 20)}" is not an E.164 number`);
    const digits = phoneNumber.slice(1);
    const res = await this.call(
      { method: 'POST', url: `${this.account}/PhoneNumber/${digits}/`, body: { contentType: 'application/json', text: '{}' }, sendOnce: true },
      ctx,
    );
    if (isUnknown(res)) return res;
    if (!res.ok) return refusal(res);
    const body = res.jsonOrUndefined() as BuyAnswer | undefined;
    const mine = Array.isArray(body?.numbers) ? body.numbers.find((n) => String(n?.number ?? '') === digits) : undefined;
    const status = typeof mine?.status === 'string' ? mine.status.toLowerCase() : undefined;
    if (status === 'success') return { state: 'completed' };
    if (status === 'pending') return awaitingDocuments(phoneNumber);
    return unknown(`Plivo answered HTTP ${res.status} without the number's status`);
  }

  /**
   * Only orders left pending are followed: once the documents are accepted the number is on the account. How a
   * pending number can be polled is not documented (ordering.md §4): until it appears, it is still awaiting them.
   */
  async status(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState> {
    const found = await this.reconcile(order, ctx);
    return found === 'not_found' ? awaitingDocuments(order.phoneNumber) : found;
  }

  async reconcile(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'> {
    const res = await this.call({ url: this.numberUrl(order.phoneNumber) }, ctx);
    if (isUnknown(res)) return res;
    if (res.ok) return { state: 'completed' };
    if (res.status === 404 && res.jsonOrUndefined() !== undefined) return 'not_found';
    const refused = refusal(res);
    return unknown(`the look-up of ${order.phoneNumber} failed: ${refused.state === 'failed' ? refused.error.message : `HTTP ${res.status}`}`);
  }

  async release(order: PlacedOrder, ctx: OrderCallContext): Promise<ReleaseOutcome> {
    const res = await this.call({ method: 'DELETE', url: this.numberUrl(order.phoneNumber) }, ctx);
    if (isUnknown(res)) return res;
    // Any 2xx is success, as Plivo's SDK reads unrent (ordering.md §4).
    if (res.ok) return { state: 'released', note: RELEASE_NOTE };
    if (res.status === 404 && res.jsonOrUndefined() !== undefined) return { state: 'released', alreadyGone: true };
    const refused = refusal(res);
    return refused.state === 'failed' || refused.state === 'unknown' ? refused : unknown(`Plivo answered HTTP ${res.status}`);
  }

  private numberUrl(phoneNumber: string): string {
    return `${this.account}/Number/${encodeURIComponent(phoneNumber.replace(/^\+/, ''))}/`;
  }

  private call(req: Omit<ProviderRequest, 'signal' | 'headers'>, ctx: OrderCallContext): Promise<ProviderResponse | UnknownOrder> {
    return sendCall(this.http, { ...req, headers: { authorization: this.authorization, accept: 'application/json' }, signal: ctx.signal }, PLIVO);
  }
}

function awaitingDocuments(phoneNumber: string): CarrierOrderState {
  return {
    state: 'action_required',
    error: orderError(PLIVO, 'regulatory_requirements', `Plivo holds ${phoneNumber} pending verification: it activates once the documents Plivo asked for are accepted`, {
      fix: 'Provide the documents Plivo requested by email for this number (a compliance application), then follow the order again.',
    }),
  };
}

function refusal(res: ProviderResponse): CarrierOrderState {
  const raw = res.jsonOrUndefined();
  const byStatus = byHttpStatus(res, PLIVO);
  if (byStatus) return byStatus;
  if (typeof raw !== 'object' || raw === null) return unknown(`Plivo answered HTTP ${res.status} with a body that is not its error format`);
  const error = (raw as { error?: unknown }).error;
  const message = typeof error === 'string' && error.trim() !== '' ? error.trim() : typeof error === 'object' && error !== null ? JSON.stringify(error) : `HTTP ${res.status}`;
  // A number Plivo will not sell answered 404 "not found" from numbers.buy ([P-ISS-144]).
  if (res.status === 404) return failed(PLIVO, 'number_unavailable', `Plivo: ${message}`);
  const code = MESSAGE_CODES.find(([pattern]) => pattern.test(message))?.[1] ?? 'invalid_request';
  return failed(PLIVO, code, `Plivo: ${message}`);
}

export function createPlivoOrdering(config: PlivoConfig, deps: ProviderDeps): OrderingSetup {
  return { available: true, ordering: new PlivoOrdering(config, deps.http) };
}
