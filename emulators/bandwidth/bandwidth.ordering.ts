import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { EmulatedOrder, OwnedNumber } from '../core/account';
import { type CarrierContext, type EmuRequest, type EmuResponse, type OperationKind, readBasic } from '../core/carrier';
import { el, empty, UNAUTHORIZED, xml } from './bandwidth-wire';

/**
 * Bandwidth's number orders and disconnects (Dashboard API, XML only), after docs/carriers/ordering.md §5 and
 * test/fixtures/carrier-specs/bandwidth-orders.openapi.yaml:
 * - `POST /accounts/{accountId}/orders` with `<Order>` holding `<SiteId>` (required, 5022 without it, 5016 when it is
 *   not the account's), optional `<CustomerOrderId>` (letters, digits, dashes and spaces, at most 40: 5052),
 *   `<PeerId>`, `<PartialAllowed>` (default true), and `<ExistingTelephoneNumberOrderType><TelephoneNumberList>
 *   <TelephoneNumber>` (10 digits, no +1: 5070 otherwise). 201 `<OrderResponse><Order>…<id>…</Order><OrderStatus>
 *   RECEIVED</OrderStatus>` with a Location header. Ordering is asynchronous: the order is `RECEIVED` until
 *   `orderDelayMs` has passed, then `COMPLETE`, or `FAILED` with an `<ErrorList>`: whether each number can be
 *   had is decided when the order is processed, as "the details of success and failure … will be preserved and
 *   linked to the returned order id" (the older API reference, see the README).
 * - `GET /accounts/{accountId}/orders/{orderId}[?tndetail=true]` → OrderStatus, CompletedQuantity,
 *   FailedQuantity, CompletedNumbers, ErrorList, OrderCompleteDate.
 * - `GET /accounts/{accountId}/orders?customerOrderId=&page=&size=` (all three required by the spec) → the orders
 *   with that reference.
 * - `POST /accounts/{accountId}/disconnects` with `<DisconnectTelephoneNumberOrder>` → 201 `RECEIVED`; the numbers
 *   leave the account after `orderDelayMs`. 400 with 5006 for a number not on the account.
 *
 * Numbers of an order being processed are out of every search; a second order for one of them fails with 5218
 * ("already processing on another order"), one for a number already on the account with 5005, one for a number
 * Bandwidth does not have with 5071, one for a number sold elsewhere with 5005.
 *
 * Options (behaviour.options):
 * - orderDelayMs (default 2000): how long orders and disconnects take.
 * - orderOutcome: 'COMPLETE' (default) | 'FAILED' (orders fail with orderErrorCode, default 5005).
 * - purchaseError: '<code>' → every well-formed order is refused at once with HTTP 400 and this code (5012 account
 *   locked, 5051...). It is counted; nothing is ordered.
 *
 * Choices where the reference is unverified (the adapter's README lists them too): a body that is not XML is 415 and
 * malformed XML 400, both with an empty body; an order without an ExistingTelephoneNumberOrderType list is 400 with
 * 5070; an unknown order id is 404 with an empty body; a missing page, size or customerOrderId on the order list is
 * 400 with an empty body; disconnected numbers are on sale again at once.
 */
const ORDERS = /^\/accounts\/([^/]+)\/orders(?:\/([^/]+))?$/;
const DISCONNECTS = /^\/accounts\/([^/]+)\/disconnects$/;
const DEFAULT_DELAY_MS = 2000;
const REFERENCE = /^[A-Za-z0-9 -]{1,40}$/;

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  '5005': 'Telephone Number Unavailable',
  '5006': 'Telephone number is not on the account',
  '5012': 'The account is locked',
  '5016': 'The SiteId submitted is invalid.',
  '5022': 'A SiteId is required',
  '5052': 'The CustomerOrderId is invalid: only alphanumeric values, dashes and spaces are allowed, at most 40 characters',
  '5070': 'The telephone number is invalid',
  '5071': 'Telephone number is not available on the system',
  '5218': 'Telephone number is already processing on another order',
};

export function bandwidthOrderingOperation(req: EmuRequest): OperationKind | undefined {
  const orders = ORDERS.exec(req.path);
  if (orders) return req.method === 'POST' && !orders[2] ? 'purchase' : 'status';
  if (DISCONNECTS.test(req.path)) return req.method === 'POST' ? 'release' : 'lookup';
  return undefined;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: false, isArray: (name) => name === 'TelephoneNumber' });

/** The parsed root element, or a refusal (415 for a body that is not XML, 400 for malformed XML). */
function readXml(req: EmuRequest, root: string): { ok: true; value: Record<string, unknown> } | { ok: false; response: EmuResponse } {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/xml') && !type.startsWith('text/xml')) return { ok: false, response: empty(415) };
  if (/<!DOCTYPE|<!ENTITY/i.test(req.body) || XMLValidator.validate(req.body) !== true) return { ok: false, response: empty(400) };
  const value = (parser.parse(req.body) as Record<string, unknown>)[root];
  if (typeof value !== 'object' || value === null) return { ok: false, response: empty(400) };
  return { ok: true, value: value as Record<string, unknown> };
}

const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : String(v));
const errorList = (errors: { code: string; description: string }[]) =>
  `<ErrorList>${errors.map((e) => `<Error>${el('Code', e.code)}${el('Description', e.description)}</Error>`).join('')}</ErrorList>`;
const refusal = (code: string) => ({ code, description: DESCRIPTIONS[code] ?? 'Error' });
const tnList = (tns: string[]) => `<TelephoneNumberList>${tns.map((t) => el('TelephoneNumber', t)).join('')}</TelephoneNumberList>`;
const iso = (ms: number) => new Date(ms).toISOString();

function renderOrder(order: EmulatedOrder): string {
  const f = order.fields;
  return (
    '<Order>' +
    (order.reference !== undefined ? el('CustomerOrderId', order.reference) : '') +
    el('id', order.id) +
    el('OrderCreateDate', iso(order.createdAt)) +
    (f.PeerId !== undefined ? el('PeerId', f.PeerId) : '') +
    el('BackOrderRequested', 'false') +
    `<ExistingTelephoneNumberOrderType>${tnList(f.numbers.split(','))}</ExistingTelephoneNumberOrderType>` +
    el('PartialAllowed', f.PartialAllowed) +
    el('SiteId', f.SiteId) +
    '</Order>'
  );
}

/** An order's state as GET /orders/{id} shows it. */
function renderStatus(order: EmulatedOrder, completed: string[], options: Record<string, unknown>): EmuResponse {
  const numbers = order.fields.numbers.split(',');
  const done = order.status === 'COMPLETE' || order.status === 'FAILED' || order.status === 'PARTIAL';
  return xml(
    200,
    '<OrderResponse>' +
      el('CompletedQuantity', done ? completed.length : 0) +
      el('CreatedByUser', 'emulator-bandwidth-user') +
      (order.errors.length > 0 ? errorList(order.errors) : '') +
      el('LastModifiedDate', iso(order.completedAt ?? order.createdAt)) +
      (done ? el('OrderCompleteDate', iso(order.completedAt!)) : '') +
      renderOrder(order) +
      el('OrderStatus', order.status) +
      (completed.length > 0 ? `<CompletedNumbers>${completed.map((t) => `<TelephoneNumber>${el('FullNumber', t)}</TelephoneNumber>`).join('')}</CompletedNumbers>` : '') +
      el('FailedQuantity', done ? numbers.length - completed.length : 0) +
      '</OrderResponse>',
    options,
  );
}

/** Answers an order or disconnect request, or undefined when the path is not one. */
export function handleBandwidthOrdering(req: EmuRequest, ctx: CarrierContext): EmuResponse | undefined {
  const kind = bandwidthOrderingOperation(req);
  if (!kind) return undefined;
  const m = (ORDERS.exec(req.path) ?? DISCONNECTS.exec(req.path))!;
  const basic = readBasic(req.headers);
  if (!basic || basic.user !== ctx.credentials.username || basic.password !== ctx.credentials.password) return UNAUTHORIZED();
  if (decodeURIComponent(m[1]) !== ctx.credentials.accountId) return empty(403);
  const options = ctx.options;
  if (kind === 'purchase') return createOrder(req, ctx);
  if (kind === 'release') return disconnect(req, ctx);
  if (DISCONNECTS.test(req.path)) return empty(405, { allow: 'POST' });
  if (req.method !== 'GET') return empty(405, { allow: 'GET, POST' });
  const completed = (o: EmulatedOrder) =>
    o.status === 'COMPLETE' || o.status === 'PARTIAL' ? o.fields.numbers.split(',').filter((t) => !(o.fields.failed ?? '').split(',').includes(t)) : [];
  if (m[2] !== undefined) {
    const order = ctx.account.orders.get(decodeURIComponent(m[2]));
    if (!order || order.kind !== 'purchase') return empty(404);
    return renderStatus(order, completed(order), options);
  }
  const q = req.query;
  const reference = q.get('customerOrderId');
  if (reference === null || q.get('page') === null || !/^\d+$/.test(q.get('size') ?? '')) return empty(400);
  const found = [...ctx.account.orders.values()].filter((o) => o.kind === 'purchase' && o.reference === reference);
  const items = found
    .map(
      (o) =>
        '<OrderIdUserIdDate>' +
        el('CountOfTNs', o.fields.numbers.split(',').length) +
        el('CustomerOrderId', reference) +
        el('userId', 'emulator-bandwidth-user') +
        el('lastModifiedDate', iso(o.completedAt ?? o.createdAt)) +
        el('OrderDate', iso(o.createdAt)) +
        el('OrderType', 'new_number') +
        el('orderId', o.id) +
        el('OrderStatus', o.status) +
        '</OrderIdUserIdDate>',
    )
    .join('');
  return xml(200, `<ResponseSelectWrapper><ListOrderIdUserIdDate>${el('TotalCount', found.length)}<Links>${el('first', `Link=<${req.path}?page=1&size=${q.get('size')}>;rel="first";`)}</Links>${items}</ListOrderIdUserIdDate></ResponseSelectWrapper>`, options);
}

function createOrder(req: EmuRequest, ctx: CarrierContext): EmuResponse {
  const options = ctx.options;
  const read = readXml(req, 'Order');
  if (!read.ok) return read.response;
  const o = read.value;
  const siteId = text(o.SiteId);
  const reference = text(o.CustomerOrderId);
  const peerId = text(o.PeerId);
  const partial = text(o.PartialAllowed) ?? 'true';
  const existing = o.ExistingTelephoneNumberOrderType as { TelephoneNumberList?: { TelephoneNumber?: unknown[] } } | undefined;
  const tns = (existing?.TelephoneNumberList?.TelephoneNumber ?? []).map((t) => String(t));
  // Validation errors are answered at once, echoing the order (the spec's 400 example).
  const bad = (code: string) =>
    xml(400, `<OrderResponse>${errorList([refusal(code)])}<Order>${reference !== undefined ? el('CustomerOrderId', reference) : ''}${siteId !== undefined ? el('SiteId', siteId) : ''}</Order></OrderResponse>`, options);
  if (siteId === undefined || siteId === '') return bad('5022');
  if (siteId !== ctx.credentials.siteId) return bad('5016');
  if (reference !== undefined && !REFERENCE.test(reference)) return bad('5052');
  if (tns.length === 0 || tns.some((t) => !/^[2-9]\d{9}$/.test(t))) return bad('5070');
  const account = ctx.account;
  for (const t of tns) account.countPurchase(`+1${t}`);
  if (typeof options.purchaseError === 'string') return bad(options.purchaseError);

  const created: EmulatedOrder = {
    id: randomUUID(),
    kind: 'purchase',
    e164: `+1${tns[0]}`,
    status: 'RECEIVED',
    createdAt: ctx.now,
    dueAt: ctx.now + (typeof options.orderDelayMs === 'number' ? options.orderDelayMs : DEFAULT_DELAY_MS),
    reference,
    errors: [],
    fields: { SiteId: siteId, PartialAllowed: partial, numbers: tns.join(','), ...(peerId !== undefined ? { PeerId: peerId } : {}) },
  };
  // Each number is decided now and told when the order is processed.
  const failures: { tn: string; code: string }[] = [];
  const taken: OwnedNumber[] = [];
  for (const t of tns) {
    const e164 = `+1${t}`;
    const mine = account.owned.get(e164);
    if (mine) failures.push({ tn: t, code: mine.status === 'processing' ? '5218' : '5005' });
    else if (!account.catalogue.has(e164)) failures.push({ tn: t, code: '5071' });
    else if (!account.forSale(e164)) failures.push({ tn: t, code: '5005' });
    else {
      const owned: OwnedNumber = { e164, id: t, status: 'processing', createdAt: ctx.now, orderId: created.id };
      account.acquire(owned);
      taken.push(owned);
    }
  }
  const scriptedFailure = options.orderOutcome === 'FAILED';
  account.orders.set(created.id, created);
  account.schedule(created.dueAt, (now) => {
    const failedCodes = scriptedFailure ? tns.map((tn) => ({ tn, code: String(options.orderErrorCode ?? '5005') })) : failures;
    const allOrNothing = partial === 'false' && failedCodes.length > 0;
    const failedTns = new Set(failedCodes.map((f) => f.tn));
    for (const owned of taken) {
      if (allOrNothing || failedTns.has(owned.id)) account.relinquish(owned.e164, now);
      else owned.status = 'active';
    }
    created.errors = failedCodes.map((f) => ({ code: f.code, description: `${DESCRIPTIONS[f.code] ?? 'Error'}: ${f.tn}` }));
    created.fields.failed = allOrNothing ? tns.join(',') : [...failedTns].join(',');
    created.status = failedCodes.length === 0 ? 'COMPLETE' : allOrNothing || failedCodes.length === tns.length ? 'FAILED' : 'PARTIAL';
    created.completedAt = now;
  });
  return {
    ...xml(201, `<OrderResponse>${renderOrder(created)}${el('OrderStatus', 'RECEIVED')}</OrderResponse>`, options),
    headers: { 'content-type': 'application/xml', location: `${req.path}/${created.id}` },
  };
}

function disconnect(req: EmuRequest, ctx: CarrierContext): EmuResponse {
  const options = ctx.options;
  const read = readXml(req, 'DisconnectTelephoneNumberOrder');
  if (!read.ok) return read.response;
  const d = read.value;
  const reference = text(d.CustomerOrderId);
  const type = d.DisconnectTelephoneNumberOrderType as { TelephoneNumberList?: { TelephoneNumber?: unknown[] } } | undefined;
  const tns = (type?.TelephoneNumberList?.TelephoneNumber ?? []).map((t) => String(t));
  const request = (id?: string) =>
    '<orderRequest>' +
    (reference !== undefined ? el('CustomerOrderId', reference) : '') +
    (id ? el('id', id) : '') +
    el('OrderCreateDate', iso(ctx.now)) +
    `<DisconnectTelephoneNumberOrderType>${el('DisconnectMode', 'normal')}${tnList(tns)}</DisconnectTelephoneNumberOrderType>` +
    '</orderRequest>';
  const bad = (errors: { code: string; description: string }[]) =>
    xml(400, `<DisconnectTelephoneNumberOrderResponse>${errorList(errors)}${request()}</DisconnectTelephoneNumberOrderResponse>`, options);
  if (reference !== undefined && !REFERENCE.test(reference)) return bad([refusal('5052')]);
  if (tns.length === 0 || tns.some((t) => !/^[2-9]\d{9}$/.test(t))) return bad([refusal('5070')]);
  const account = ctx.account;
  const absent = tns.filter((t) => account.owned.get(`+1${t}`)?.status !== 'active');
  if (absent.length > 0) return bad(absent.map((t) => ({ code: '5006', description: `${DESCRIPTIONS['5006']}: ${t}` })));
  const id = randomUUID();
  const dueAt = ctx.now + (typeof options.orderDelayMs === 'number' ? options.orderDelayMs : DEFAULT_DELAY_MS);
  const disconnecting = tns.map((t) => account.owned.get(`+1${t}`)!);
  for (const owned of disconnecting) owned.status = 'disconnecting';
  account.orders.set(id, { id, kind: 'disconnect', e164: `+1${tns[0]}`, status: 'RECEIVED', createdAt: ctx.now, dueAt, reference, errors: [], fields: { numbers: tns.join(',') } });
  account.schedule(dueAt, (now) => {
    for (const owned of disconnecting) account.relinquish(owned.e164, now);
    const order = account.orders.get(id)!;
    order.status = 'COMPLETE';
    order.completedAt = now;
  });
  return xml(201, `<DisconnectTelephoneNumberOrderResponse>${request(id)}${el('OrderStatus', 'RECEIVED')}</DisconnectTelephoneNumberOrderResponse>`, options);
}
