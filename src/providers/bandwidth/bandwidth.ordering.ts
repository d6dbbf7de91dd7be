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
import type { ProviderHttp, ProviderRequest, ProviderResponse } from '../http/provider-http-client';
import { byHttpStatus, type CarrierLabel, failed, isUnknown, sendCall, unknown } from '../ordering/order-outcomes';
import type { ProviderDeps } from '../provider-definition';
import type { BandwidthConfig } from './bandwidth.config';
import { findBandwidthError, parseBandwidthXml, xmlList, xmlText, type XmlDocument } from './bandwidth.xml';

const BANDWIDTH: CarrierLabel = { name: 'Bandwidth', credentials: 'BANDWIDTH_USERNAME and BANDWIDTH_PASSWORD' };

/** Order error codes (ordering.md §5 Errors, §8 vocabulary; [BW-ERR]). */
const CODES: Readonly<Record<string, OrderErrorCode>> = {
  '5005': 'number_unavailable', // Telephone Number Unavailable
  '5071': 'number_unavailable', // not available on the system
  '5218': 'number_unavailable', // already processing on another order
  '5041': 'number_unavailable', // reservation failed: not available
  '5070': 'invalid_number',
  '5001': 'invalid_number',
  '5008': 'invalid_number',
  '5012': 'account_restricted', // account locked
  '5051': 'account_restricted',
  '5016': 'invalid_request', // the SiteId submitted is invalid
  '5022': 'invalid_request', // SiteId required
  '5052': 'invalid_request', // CustomerOrderId invalid
  '5003': 'carrier_error',
  '5086': 'carrier_error', // timed out, resubmit
};

const FIXES: Readonly<Record<string, string>> = {
  '5016': 'Set BANDWIDTH_SITE_ID to a site (sub-account) of this Bandwidth account.',
  '5022': 'Set BANDWIDTH_SITE_ID to a site (sub-account) of this Bandwidth account.',
  '5218': 'Another order for this number is being processed: follow that order instead of placing a new one.',
  '5086': 'Bandwidth timed out processing the order and nothing was ordered: place it again.',
};

/** States an order is still being worked on in (ordering.md §5, §8; PROCESSING unverified for new numbers). */
const IN_PROGRESS: ReadonlySet<string> = new Set(['RECEIVED', 'PROCESSING', 'BACKORDERED']);

/** NANP numbers only, sent as 10 digits without +1 (vonage-…-sinch.md §3.6 quirk 2). */
const NANP = /^\+1([2-9]\d{9})$/;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, value: string) => `<${name}>${esc(value)}</${name}>`;
const PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/**
 * CustomerOrderId takes letters, digits, dashes and spaces, at most 40 (5052 otherwise): our order id, with
 * anything else replaced by a dash. The same id always gives the same reference, so reconcile finds the order.
 */
export function bandwidthReference(orderId: string): string {
  return orderId.replace(/[^A-Za-z0-9 -]/g, '-').slice(0, 40);
}

/**
 * Ordering at Bandwidth (docs/carriers/ordering.md §5): `POST /accounts/{accountId}/orders` with an
 * ExistingTelephoneNumberOrderType for the one number, the site from BANDWIDTH_SITE_ID and our reference as
 * CustomerOrderId; 201 `RECEIVED`, then `GET /orders/{id}` until COMPLETE or FAILED. Releasing is a disconnect
 * order (`POST /accounts/{accountId}/disconnects`), itself asynchronous.
 */
export class BandwidthOrdering implements NumberOrdering {
  readonly provider = 'bandwidth';
  private readonly account: string;
  private readonly authorization: string;

  constructor(
    private readonly config: BandwidthConfig & { siteId: string },
    private readonly http: ProviderHttp,
  ) {
    this.account = `${config.baseUrl}/accounts/${encodeURIComponent(config.accountId)}`;
    this.authorization = basicAuth(config.username, config.password);
  }

  async purchase(phoneNumber: string, ctx: PurchaseContext): Promise<CarrierOrderState> {
    const tn = NANP.exec(phoneNumber)?.[1];
    if (!tn) return failed(BANDWIDTH, 'invalid_number', `Bandwidth sells North American numbers only (+1 and 10 digits), not "${phoneNumber.slice(0, 20)}"`);
    // PartialAllowed=false: one number per order, so the order is that number or nothing.
    const order =
      `${PROLOG}<Order>${el('CustomerOrderId', bandwidthReference(ctx.orderId))}` +
      `<ExistingTelephoneNumberOrderType><TelephoneNumberList>${el('TelephoneNumber', tn)}</TelephoneNumberList></ExistingTelephoneNumberOrderType>` +
      `${el('PartialAllowed', 'false')}${el('SiteId', this.config.siteId)}${this.config.peerId ? el('PeerId', this.config.peerId) : ''}</Order>`;
    const res = await this.call({ method: 'POST', url: `${this.account}/orders`, body: { contentType: 'application/xml', text: order }, sendOnce: true }, ctx);
    if (isUnknown(res)) return res;
    if (!res.ok) return refusal(res);
    const parsed = parseBandwidthXml(res.body);
    if (!parsed.ok || parsed.doc.root !== 'OrderResponse') return unknown(`Bandwidth answered HTTP ${res.status} without an OrderResponse`);
    const id = xmlText(field(field(parsed.doc.value, 'Order'), 'id'));
    if (!id) return unknown(`Bandwidth answered HTTP ${res.status} without the order id`);
    return orderState(parsed.doc, id, tn);
  }

  async status(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState> {
    const found = await this.reconcile(order, ctx);
    if (found !== 'not_found') return found;
    return failed(BANDWIDTH, 'number_unavailable', `Bandwidth has no order for ${order.phoneNumber} with reference ${bandwidthReference(order.orderId)}`);
  }

  async reconcile(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'> {
    const tn = NANP.exec(order.phoneNumber)?.[1];
    if (!tn) return 'not_found';
    if (order.providerOrderId) {
      const known = await this.orderById(order.providerOrderId, tn, ctx);
      if (known !== 'not_found') return known;
    }
    // Our order, found by its CustomerOrderId even when the answer to the POST was lost.
    const reference = bandwidthReference(order.orderId);
    const res = await this.call({ url: `${this.account}/orders`, query: new URLSearchParams({ customerOrderId: reference, page: '1', size: '20' }) }, ctx);
    if (isUnknown(res)) return res;
    if (!res.ok) return lookupFailed(res, `orders with CustomerOrderId ${reference}`);
    const parsed = parseBandwidthXml(res.body);
    if (!parsed.ok) return unknown('Bandwidth answered the order list with a body that is not XML');
    const items = xmlList(field(field(parsed.doc.value, 'ListOrderIdUserIdDate'), 'OrderIdUserIdDate'));
    const ids = items
      .map((i) => xmlText(field(i, 'orderId')) ?? xmlText(field(i, 'OrderId')))
      .filter((id): id is string => id !== undefined)
      .reverse(); // the most recent first
    for (const id of ids) {
      const state = await this.orderById(id, tn, ctx);
      if (state !== 'not_found') return state;
    }
    return 'not_found';
  }

  async release(order: PlacedOrder, ctx: OrderCallContext): Promise<ReleaseOutcome> {
    const tn = NANP.exec(order.phoneNumber)?.[1];
    if (!tn) return { state: 'released', alreadyGone: true };
    const body =
      `${PROLOG}<DisconnectTelephoneNumberOrder>${el('CustomerOrderId', bandwidthReference(order.orderId))}` +
      `<DisconnectTelephoneNumberOrderType><TelephoneNumberList>${el('TelephoneNumber', tn)}</TelephoneNumberList></DisconnectTelephoneNumberOrderType>` +
      '</DisconnectTelephoneNumberOrder>';
    const res = await this.call({ method: 'POST', url: `${this.account}/disconnects`, body: { contentType: 'application/xml', text: body } }, ctx);
    if (isUnknown(res)) return res;
    if (res.ok) {
      const parsed = parseBandwidthXml(res.body);
      const id = parsed.ok ? xmlText(field(field(parsed.doc.value, 'orderRequest'), 'id')) : undefined;
      return { state: 'released', note: `Bandwidth disconnects asynchronously${id ? ` (disconnect order ${id})` : ''}` };
    }
    const parsed = parseBandwidthXml(res.body);
    const error = parsed.ok ? findBandwidthError(parsed.doc) : undefined;
    if (res.status === 400 && error?.code === '5006') {
      // Not on the account: released already, unless our order for it is still being processed.
      const current = await this.reconcile(order, ctx);
      if (current !== 'not_found' && current.state === 'pending') {
        return failed(BANDWIDTH, 'carrier_error', `Bandwidth order ${current.providerOrderId} for ${order.phoneNumber} is still being processed`, {
          providerCode: '5006',
          fix: 'Release the number once status() says completed.',
        });
      }
      return { state: 'released', alreadyGone: true };
    }
    const refused = refusal(res);
    return refused.state === 'failed' || refused.state === 'unknown' ? refused : unknown(`Bandwidth answered HTTP ${res.status}`);
  }

  /** One order's state for this number; 'not_found' when there is no such order or it is not for this number. */
  private async orderById(id: string, tn: string, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'> {
    const res = await this.call({ url: `${this.account}/orders/${encodeURIComponent(id)}`, query: new URLSearchParams({ tndetail: 'true' }) }, ctx);
    if (isUnknown(res)) return res;
    if (res.status === 404) return 'not_found';
    if (!res.ok) return lookupFailed(res, `order ${id}`);
    const parsed = parseBandwidthXml(res.body);
    if (!parsed.ok || parsed.doc.root !== 'OrderResponse') return unknown(`Bandwidth answered order ${id} without an OrderResponse`);
    const listed = xmlList(field(field(field(field(parsed.doc.value, 'Order'), 'ExistingTelephoneNumberOrderType'), 'TelephoneNumberList'), 'TelephoneNumber')).map(xmlText);
    if (listed.length > 0 && !listed.includes(tn)) return 'not_found';
    return orderState(parsed.doc, id, tn);
  }

  private call(req: Omit<ProviderRequest, 'signal' | 'headers'>, ctx: OrderCallContext): Promise<ProviderResponse | UnknownOrder> {
    return sendCall(this.http, { ...req, headers: { authorization: this.authorization, accept: 'application/xml' }, signal: ctx.signal }, BANDWIDTH);
  }
}

/** A child element, whatever the parser made of it. */
function field(node: unknown, name: string): unknown {
  const value = Array.isArray(node) ? node[0] : node;
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * An OrderResponse's state for our number (ordering.md §8): RECEIVED/PROCESSING/BACKORDERED pending; COMPLETE
 * (or PARTIAL) completed when our number is among CompletedNumbers; FAILED failed with the ErrorList's code.
 */
function orderState(doc: XmlDocument, id: string, tn: string): CarrierOrderState {
  const status = xmlText(field(doc.value, 'OrderStatus'));
  if (status === undefined) return unknown(`Bandwidth answered order ${id} without an OrderStatus`);
  if (IN_PROGRESS.has(status)) return { state: 'pending', providerOrderId: id };
  const completed = xmlList(field(field(doc.value, 'CompletedNumbers'), 'TelephoneNumber')).map((t) => xmlText(field(t, 'FullNumber')) ?? xmlText(t));
  if ((status === 'COMPLETE' || status === 'PARTIAL') && completed.includes(tn)) return { state: 'completed', providerOrderId: id };
  if (status === 'COMPLETE' || status === 'PARTIAL' || status === 'FAILED') {
    const error = findBandwidthError(doc);
    const code = error?.code;
    const mapped = (code && CODES[code]) || 'number_unavailable';
    return failed(BANDWIDTH, mapped, `Bandwidth order ${id} ended ${status}${error?.description ? `: ${error.description}` : ''}`, {
      providerCode: code,
      fix: code ? FIXES[code] : undefined,
    });
  }
  return unknown(`Bandwidth answered order ${id} with status ${status}`);
}

/** A refused order or disconnect: the ErrorList's code decides; 401/403/429/5xx by status. */
function refusal(res: ProviderResponse): CarrierOrderState {
  const byStatus = byHttpStatus(res, BANDWIDTH);
  if (byStatus) return byStatus;
  const parsed = parseBandwidthXml(res.body);
  if (!parsed.ok && res.body.trim() !== '') return unknown(`Bandwidth answered HTTP ${res.status} with a body that is not its XML`);
  const error = parsed.ok ? findBandwidthError(parsed.doc) : undefined;
  if (!error?.code) return failed(BANDWIDTH, 'invalid_request', `Bandwidth rejected the request (HTTP ${res.status}) without an error code`);
  const message = `Bandwidth: ${error.description ?? `error ${error.code}`}`;
  return failed(BANDWIDTH, CODES[error.code] ?? 'invalid_request', message, { providerCode: error.code, fix: FIXES[error.code] });
}

function lookupFailed(res: ProviderResponse, what: string): UnknownOrder {
  const refused = refusal(res);
  return unknown(`the look-up of ${what} failed: ${refused.state === 'failed' ? refused.error.message : refused.state === 'unknown' ? refused.reason : `HTTP ${res.status}`}`);
}

export function createBandwidthOrdering(config: BandwidthConfig, deps: ProviderDeps): OrderingSetup {
  const siteId = config.siteId;
  if (siteId === undefined) return { available: false, reason: 'Bandwidth orders need BANDWIDTH_SITE_ID (error 5022 without it)' };
  return { available: true, ordering: new BandwidthOrdering({ ...config, siteId }, deps.http) };
}
