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
import { E164 } from '../../domain/e164';
import type { ProviderHttp, ProviderRequest, ProviderResponse } from '../http/provider-http-client';
import { byHttpStatus, type CarrierLabel, failed, isUnknown, orderError, sendCall, unknown } from '../ordering/order-outcomes';
import type { ProviderDeps } from '../provider-definition';
import type { TelnyxConfig } from './telnyx.config';
import type { TelnyxErrorBody } from './telnyx.types';

const TELNYX: CarrierLabel = { name: 'Telnyx', credentials: 'TELNYX_API_KEY' };

/** Error codes of the catalogue that say more than the status (ordering.md §1 Errors; telnyx-twilio.md §1.5). */
const CODES: Readonly<Record<string, OrderErrorCode>> = {
  '10009': 'auth_failed',
  '10010': 'auth_failed',
  '20002': 'auth_failed',
  '20006': 'auth_failed',
  '10011': 'rate_limited',
  '10002': 'invalid_number',
  '10016': 'invalid_number', // must be in +E.164 format
  '20100': 'insufficient_funds',
  '20012': 'insufficient_funds', // account inactive, possibly for lack of funds
  '20013': 'account_restricted', // account blocked
  '20014': 'account_restricted', // account unverified
};

interface NumberOrderItem {
  phone_number?: string;
  status?: string;
  requirements_met?: boolean;
  requirements_status?: string;
}

interface NumberOrder {
  id?: string;
  status?: string;
  requirements_met?: boolean;
  customer_reference?: string | null;
  phone_numbers?: NumberOrderItem[];
}

interface PhoneNumberRecord {
  id?: string;
  phone_number?: string;
  status?: string;
}

/**
 * Buying at Telnyx (docs/carriers/ordering.md §1): `POST /v2/number_orders`, JSON, 200 with an order that is
 * `pending` at creation and ends `success` or `failure` (asynchronous). The order is tagged with our order id as
 * `customer_reference`, so that it can be found even when the answer to the POST was lost. The number's own
 * resource (`/v2/phone_numbers`, a different id from the order's) is what a release deletes.
 *
 * Telnyx's SDK retries POSTs on 408/409/429/5xx and connection errors and sends no idempotency key
 * ([T-NODE-CLIENT]); this adapter sends the order once and reconciles instead.
 */
export class TelnyxOrdering implements NumberOrdering {
  readonly provider = 'telnyx';
  private readonly headers: Record<string, string>;

  constructor(
    private readonly config: TelnyxConfig,
    private readonly http: ProviderHttp,
  ) {
    this.headers = { authorization: `Bearer ${config.apiKey}`, accept: 'application/json' };
  }

  async purchase(phoneNumber: string, ctx: PurchaseContext): Promise<CarrierOrderState> {
    if (!E164.test(phoneNumber)) return failed(TELNYX, 'invalid_number', `"${phoneNumber.slice(0, 20)}" is not an E.164 number`);
    const res = await this.call(
      {
        method: 'POST',
        url: `${this.config.baseUrl}/v2/number_orders`,
        body: { contentType: 'application/json', text: JSON.stringify({ phone_numbers: [{ phone_number: phoneNumber }], customer_reference: ctx.orderId }) },
        sendOnce: true,
      },
      ctx,
    );
    if (isUnknown(res)) return res;
    if (!res.ok) return refusal(res);
    return readOrder(res, phoneNumber);
  }

  async status(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState> {
    if (order.providerOrderId) {
      const res = await this.call({ url: `${this.config.baseUrl}/v2/number_orders/${encodeURIComponent(order.providerOrderId)}` }, ctx);
      if (isUnknown(res)) return res;
      if (res.ok) return readOrder(res, order.phoneNumber);
      if (res.status !== 404) return lookupFailed(res, `order ${order.providerOrderId}`);
    }
    const found = await this.orderByReference(order, ctx);
    if (found !== 'not_found') return found;
    return failed(TELNYX, 'number_unavailable', `Telnyx has no number order for ${order.phoneNumber} with reference ${order.orderId}`);
  }

  async reconcile(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'> {
    // Our own order first (found by our reference even when the POST's answer was lost)...
    const byReference = await this.orderByReference(order, ctx);
    if (byReference !== 'not_found') return byReference;
    // ...then the account's numbers (ordering.md §8), in case the order was placed without our reference.
    const record = await this.numberRecord(order.phoneNumber, ctx);
    if (isUnknown(record)) return record;
    if (!record) return 'not_found';
    if (record.status === 'active') return { state: 'completed' };
    return unknown(`${order.phoneNumber} is on the Telnyx account with status ${record.status ?? 'unknown'}, but no order with reference ${order.orderId} was found`);
  }

  async release(order: PlacedOrder, ctx: OrderCallContext): Promise<ReleaseOutcome> {
    const record = await this.numberRecord(order.phoneNumber, ctx);
    if (isUnknown(record)) return record;
    if (!record?.id) return { state: 'released', alreadyGone: true };
    const res = await this.call({ method: 'DELETE', url: `${this.config.baseUrl}/v2/phone_numbers/${encodeURIComponent(record.id)}` }, ctx);
    if (isUnknown(res)) return res;
    if (res.ok) return { state: 'released' };
    if (res.status === 404) return { state: 'released', alreadyGone: true };
    const byStatus = byHttpStatus(res, TELNYX);
    if (byStatus) return byStatus;
    const { message, code } = firstError(res);
    return failed(TELNYX, 'carrier_error', `Telnyx refused to delete ${order.phoneNumber}: ${message}`, {
      providerCode: code,
      fix: record.status !== 'active' ? 'The purchase is still pending at Telnyx: release the number once status() says completed.' : undefined,
    });
  }

  private call(req: Omit<ProviderRequest, 'signal' | 'headers'>, ctx: OrderCallContext): Promise<ProviderResponse | UnknownOrder> {
    return sendCall(this.http, { ...req, headers: this.headers, signal: ctx.signal }, TELNYX);
  }

  /** The order tagged with our reference for this number (the most recent), or 'not_found'. */
  private async orderByReference(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'> {
    const res = await this.call(
      { url: `${this.config.baseUrl}/v2/number_orders`, query: new URLSearchParams({ 'filter[customer_reference]': order.orderId }) },
      ctx,
    );
    if (isUnknown(res)) return res;
    if (!res.ok) return lookupFailed(res, `orders with reference ${order.orderId}`);
    const body = res.jsonOrUndefined() as { data?: NumberOrder[] } | undefined;
    if (!Array.isArray(body?.data)) return unknown('Telnyx answered the order look-up without a data array');
    const mine = body.data.filter((o) => o?.customer_reference === order.orderId && (o.phone_numbers ?? []).some((p) => p?.phone_number === order.phoneNumber));
    if (mine.length === 0) return 'not_found';
    return orderState(mine[mine.length - 1], order.phoneNumber);
  }

  /** The account's phone number resource for this exact number, undefined when there is none. */
  private async numberRecord(phoneNumber: string, ctx: OrderCallContext): Promise<PhoneNumberRecord | undefined | UnknownOrder> {
    const res = await this.call(
      { url: `${this.config.baseUrl}/v2/phone_numbers`, query: new URLSearchParams({ 'filter[phone_number]': phoneNumber }) },
      ctx,
    );
    if (isUnknown(res)) return res;
    if (!res.ok) return lookupFailed(res, phoneNumber);
    const body = res.jsonOrUndefined() as { data?: PhoneNumberRecord[] } | undefined;
    if (!Array.isArray(body?.data)) return unknown('Telnyx answered the phone number look-up without a data array');
    // The filter matches partial numbers: only the exact one counts.
    return body.data.find((r) => r?.phone_number === phoneNumber);
  }
}

/** A 200 carrying an order. */
function readOrder(res: ProviderResponse, phoneNumber: string): CarrierOrderState {
  const body = res.jsonOrUndefined() as { data?: NumberOrder } | undefined;
  if (typeof body?.data !== 'object' || body.data === null) return unknown(`Telnyx answered HTTP ${res.status} without the order`);
  return orderState(body.data, phoneNumber);
}

/**
 * An order's state for our number (ordering.md §8): `success` completed; `failure` failed; `pending` pending, or
 * action_required while its regulatory requirements are not met.
 */
function orderState(order: NumberOrder, phoneNumber: string): CarrierOrderState {
  if (typeof order.id !== 'string' || order.id === '') return unknown('Telnyx answered an order without an id');
  const item = (order.phone_numbers ?? []).find((p) => p?.phone_number === phoneNumber);
  const status = item?.status ?? order.status;
  if (status === 'success') return { state: 'completed', providerOrderId: order.id };
  if (status === 'failure') {
    // Why an order fails is not documented (ordering.md §1, UNVERIFIED): most often the number was gone.
    return failed(TELNYX, 'number_unavailable', `Telnyx number order ${order.id} ended in failure for ${phoneNumber}`);
  }
  if (status !== 'pending') return unknown(`Telnyx answered an order with status ${String(status)}`);
  const unmet = item?.requirements_met === false || order.requirements_met === false;
  if (!unmet) return { state: 'pending', providerOrderId: order.id };
  return {
    state: 'action_required',
    providerOrderId: order.id,
    error: orderError(TELNYX, 'regulatory_requirements', `Telnyx number order ${order.id} waits for regulatory requirements (${item?.requirements_status ?? 'not met'})`, {
      fix: 'Provide the documents Telnyx asks for on this number order (PATCH /sub_number_orders with the requirements), then follow it again.',
    }),
  };
}

function firstError(res: ProviderResponse): { code?: string; message: string; pointer?: string } {
  const body = res.jsonOrUndefined() as (TelnyxErrorBody & { errors?: { source?: { pointer?: string } }[] }) | undefined;
  const first = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  const code = first?.code !== undefined && first.code !== null ? String(first.code) : undefined;
  const text = [first?.title, first?.detail].filter((s) => typeof s === 'string' && s !== '').join(': ');
  return { code, message: text || `HTTP ${res.status}`, pointer: first?.source?.pointer };
}

/** A refused order. */
function refusal(res: ProviderResponse): CarrierOrderState {
  const parsed = res.jsonOrUndefined();
  if (parsed === undefined && res.body.trim() !== '') {
    return byHttpStatus(res, TELNYX) ?? unknown(`Telnyx answered HTTP ${res.status} with a body that is not its error format`);
  }
  const { code, message, pointer } = firstError(res);
  const mapped = code ? CODES[code] : undefined;
  if (mapped === 'auth_failed' || mapped === 'rate_limited' || (!mapped && (res.status === 401 || res.status === 403 || res.status === 429 || res.status >= 500))) {
    return byHttpStatus(res, TELNYX, code) ?? failed(TELNYX, mapped ?? 'carrier_error', `Telnyx: ${message}`, { providerCode: code });
  }
  if (mapped) return failed(TELNYX, mapped, `Telnyx: ${message}`, { providerCode: code });
  // The codes for a taken number are not documented (ordering.md §1): a 422 about the number we sent (one
  // number per order) means it cannot be ordered.
  if (res.status === 422 && (pointer === undefined || pointer.startsWith('/phone_numbers'))) {
    return failed(TELNYX, 'number_unavailable', `Telnyx: ${message}`, { providerCode: code });
  }
  return failed(TELNYX, 'invalid_request', `Telnyx: ${message}`, { providerCode: code });
}

function lookupFailed(res: ProviderResponse, what: string): UnknownOrder {
  const refused = byHttpStatus(res, TELNYX);
  const why = refused?.state === 'failed' ? refused.error.message : refused?.state === 'unknown' ? refused.reason : `Telnyx answered HTTP ${res.status}`;
  return unknown(`the look-up of ${what} failed: ${why}`);
}

export function createTelnyxOrdering(config: TelnyxConfig, deps: ProviderDeps): OrderingSetup {
  return { available: true, ordering: new TelnyxOrdering(config, deps.http) };
}
