import { randomInt, randomUUID } from 'node:crypto';
import type { EmulatedOrder, OwnedNumber } from '../core/account';
import { type CarrierContext, type EmuRequest, type EmuResponse, json, type OperationKind } from '../core/carrier';

/**
 * Telnyx number orders and phone numbers, after docs/carriers/ordering.md §1:
 * - `POST /v2/number_orders` (JSON `{phone_numbers: [{phone_number}], customer_reference?, ...}`) answers **200**
 *   with the order in status `pending`; the order moves to `success` (or `failure`) later. While it is pending the
 *   number is on the account as `purchase-pending`; on success it is `active`, on failure it goes back on sale.
 * - `GET /v2/number_orders/{id}`, `GET /v2/number_orders?filter[customer_reference]=` (and `filter[status]`).
 * - `GET /v2/phone_numbers?filter[phone_number]=` (at least three digits, partial numbers match) lists the
 *   account's numbers; `DELETE /v2/phone_numbers/{id}` releases one (200 with `status: "deleted"`); the id is the
 *   phone number's (numeric), not the order's.
 * Errors are `{"errors": [{code, title, detail, source, meta}]}` with string codes.
 *
 * Options (behaviour.options):
 * - orderDelayMs (default 2000): how long an order stays `pending` before it ends.
 * - orderOutcome: 'success' (default) | 'failure' (the order ends in failure; the number goes back on sale) |
 *   'requirements' (the number needs regulatory documents: `requirements_met: false`, `requirements_status:
 *   "requirement-info-pending"`, and the order stays pending, since nobody provides them).
 * - purchaseError: { status, code, title, detail } → every order that names a number fails with this error (20100
 *   insufficient funds, 20013 account blocked...). The request is counted; nothing is bought.
 *
 * Choices where the reference is unverified (the adapter's README lists them too): a number not for sale
 * (unknown, sold, or already on this account) is 422 with code 10015 and `source.pointer` "/phone_numbers/0/
 * phone_number"; a phone_number that is not E.164 is 422 with code 10016 ("must be in +E.164 format", a catalog
 * code); a missing phone_numbers is 422 with code 10004; a body that is not JSON is 400 with 10015; deleting a
 * number whose order is still pending is 422 with 10015; a deleted number is on sale again at once.
 */
const ORDERS = /^\/v2\/number_orders(?:\/([^/]+))?$/;
const NUMBERS = /^\/v2\/phone_numbers(?:\/([^/]+))?$/;
const DEFAULT_DELAY_MS = 2000;

export function telnyxOrderingOperation(req: EmuRequest): OperationKind | undefined {
  const orders = ORDERS.exec(req.path);
  if (orders) return req.method === 'POST' && !orders[1] ? 'purchase' : 'status';
  const numbers = NUMBERS.exec(req.path);
  if (numbers) return req.method === 'DELETE' ? 'release' : 'lookup';
  return undefined;
}

type ErrorFn = (status: number, code: string, title: string, detail: string, extra?: Record<string, unknown>) => EmuResponse;

const iso = (ms: number) => new Date(ms).toISOString();

/** Telnyx phone number ids are large integers written as strings. */
const numberId = () => `${randomInt(1, 9)}${Array.from({ length: 18 }, () => randomInt(0, 10)).join('')}`;

function renderOrder(order: EmulatedOrder) {
  const requirements = order.fields.requirements === 'pending';
  return {
    id: order.id,
    record_type: 'number_order',
    phone_numbers_count: 1,
    connection_id: order.fields.connection_id ?? null,
    messaging_profile_id: order.fields.messaging_profile_id ?? null,
    billing_group_id: order.fields.billing_group_id ?? null,
    phone_numbers: [
      {
        id: order.fields.itemId,
        record_type: 'number_order_phone_number',
        phone_number: order.e164,
        regulatory_requirements: [],
        requirements_met: !requirements,
        requirements_status: requirements ? 'requirement-info-pending' : 'approved',
        status: order.status,
      },
    ],
    sub_number_orders_ids: [order.fields.subOrderId],
    status: order.status,
    customer_reference: order.reference ?? null,
    created_at: iso(order.createdAt),
    updated_at: iso(order.completedAt ?? order.createdAt),
    requirements_met: !requirements,
  };
}

function renderNumber(owned: OwnedNumber, type: string | undefined, status = owned.status) {
  return {
    id: owned.id,
    record_type: 'phone_number',
    phone_number: owned.e164,
    status,
    tags: [],
    connection_id: null,
    customer_reference: null,
    messaging_profile_id: null,
    billing_group_id: null,
    phone_number_type: type ?? 'local',
    purchased_at: iso(owned.createdAt),
    created_at: iso(owned.createdAt),
    updated_at: iso(owned.createdAt),
  };
}

const page = (data: unknown[]) => ({ data, meta: { total_pages: 1, total_results: data.length, page_number: 1, page_size: Math.max(data.length, 20) } });

/** Answers an ordering request (the caller has authenticated it), or undefined when the path is not one. */
export function handleTelnyxOrdering(req: EmuRequest, ctx: CarrierContext, error: ErrorFn): EmuResponse | undefined {
  const kind = telnyxOrderingOperation(req);
  if (!kind) return undefined;
  const orders = ORDERS.exec(req.path);
  if (orders) {
    if (req.method === 'POST' && !orders[1]) return createOrder(req, ctx, error);
    if (req.method !== 'GET') return error(405, '10015', 'Bad Request', 'Method not allowed.');
    if (orders[1]) {
      const order = ctx.account.orders.get(decodeURIComponent(orders[1]));
      return order ? json(200, { data: renderOrder(order) }) : error(404, '10005', 'Resource not found', 'The requested resource or URL could not be found.');
    }
    const reference = req.query.get('filter[customer_reference]');
    const status = req.query.get('filter[status]');
    const found = [...ctx.account.orders.values()].filter((o) => (reference === null || o.reference === reference) && (status === null || o.status === status));
    return json(200, page(found.map(renderOrder)));
  }
  const id = NUMBERS.exec(req.path)![1];
  const typeOf = (o: OwnedNumber) => ctx.account.catalogue.get(o.e164)?.type;
  if (id === undefined) {
    if (req.method !== 'GET') return error(405, '10015', 'Bad Request', 'Method not allowed.');
    const wanted = (req.query.get('filter[phone_number]') ?? '').replace(/\D/g, '');
    if (req.query.get('filter[phone_number]') !== null && wanted.length < 3) {
      return error(422, '10015', 'Bad Request', 'filter[phone_number] requires at least three digits.', { source: { parameter: 'filter[phone_number]' } });
    }
    const found = [...ctx.account.owned.values()].filter((o) => o.e164.slice(1).includes(wanted));
    return json(200, page(found.map((o) => renderNumber(o, typeOf(o)))));
  }
  const owned = [...ctx.account.owned.values()].find((o) => o.id === decodeURIComponent(id));
  if (!owned) return error(404, '10005', 'Resource not found', 'The requested resource or URL could not be found.');
  if (req.method === 'GET') return json(200, { data: renderNumber(owned, typeOf(owned)) });
  if (req.method !== 'DELETE') return error(405, '10015', 'Bad Request', 'Method not allowed.');
  if (owned.status !== 'active') {
    return error(422, '10015', 'Bad Request', `Phone number ${owned.e164} cannot be deleted while its purchase is ${owned.status}.`);
  }
  ctx.account.relinquish(owned.e164, ctx.now);
  return json(200, { data: renderNumber(owned, typeOf(owned), 'deleted') });
}

interface ScriptedError {
  status: number;
  code: string;
  title: string;
  detail: string;
}

function createOrder(req: EmuRequest, ctx: CarrierContext, error: ErrorFn): EmuResponse {
  if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return error(400, '10015', 'Bad Request', 'The request body must be JSON (Content-Type: application/json).');
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
  } catch {
    return error(400, '10015', 'Bad Request', 'The request body is not a JSON object.');
  }
  const items = body.phone_numbers;
  if (!Array.isArray(items) || items.length === 0) {
    return error(422, '10004', 'Missing required parameter', 'phone_numbers must list at least one number.', { source: { pointer: '/phone_numbers' } });
  }
  const e164 = (items[0] as { phone_number?: unknown } | null)?.phone_number;
  if (typeof e164 !== 'string' || !/^\+[1-9]\d{6,14}$/.test(e164)) {
    return error(422, '10016', 'Invalid phone number', 'The phone number must be in +E.164 format.', { source: { pointer: '/phone_numbers/0/phone_number' } });
  }
  const account = ctx.account;
  account.countPurchase(e164);
  const scripted = ctx.options.purchaseError as ScriptedError | undefined;
  if (scripted) return error(scripted.status, scripted.code, scripted.title, scripted.detail);
  if (!account.forSale(e164)) {
    return error(422, '10015', 'Bad Request', `Phone number ${e164} is not available for purchase.`, { source: { pointer: '/phone_numbers/0/phone_number' } });
  }
  const requirements = ctx.options.orderOutcome === 'requirements';
  const reference = typeof body.customer_reference === 'string' ? body.customer_reference : undefined;
  const order: EmulatedOrder = {
    id: randomUUID(),
    kind: 'purchase',
    e164,
    status: 'pending',
    createdAt: ctx.now,
    dueAt: ctx.now + (typeof ctx.options.orderDelayMs === 'number' ? ctx.options.orderDelayMs : DEFAULT_DELAY_MS),
    reference,
    errors: [],
    fields: {
      itemId: randomUUID(),
      subOrderId: randomUUID(),
      ...(requirements ? { requirements: 'pending' } : {}),
      ...Object.fromEntries(['connection_id', 'messaging_profile_id', 'billing_group_id'].filter((k) => typeof body[k] === 'string').map((k) => [k, body[k] as string])),
    },
  };
  account.orders.set(order.id, order);
  const owned: OwnedNumber = { e164, id: numberId(), status: 'purchase-pending', createdAt: ctx.now, orderId: order.id };
  account.acquire(owned);
  if (!requirements) {
    const failure = ctx.options.orderOutcome === 'failure';
    account.schedule(order.dueAt, (now) => {
      order.status = failure ? 'failure' : 'success';
      order.completedAt = now;
      if (failure) account.relinquish(e164, now);
      else owned.status = 'active';
    });
  }
  return json(200, { data: renderOrder(order) });
}
