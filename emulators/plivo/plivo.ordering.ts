import { randomUUID } from 'node:crypto';
import type { OwnedNumber } from '../core/account';
import { type CarrierContext, type EmuRequest, type EmuResponse, json, type OperationKind, readBasic } from '../core/carrier';
import type { InventoryNumber } from '../core/inventory';
import { apiError, AUTH_FAILED, COUNTRY_NAMES, NOT_PROVIDED, overLimit, titleCase, unauthorised } from './plivo-wire';

/**
 * Plivo's number calls, after docs/carriers/ordering.md §4:
 * - buy: `POST /v1/Account/{auth_id}/PhoneNumber/{number}/` (digits without '+', trailing slash), optional JSON
 *   (`app_id`, `cnam_lookup` enabled|disabled, `ha_enable`, `compliance_application_id`); **201**
 *   `{"api_id","message":"created","numbers":[{"number","status":"Success"}],"status":"fulfilled"}`. A number that
 *   needs verification answers `"status":"pending"` for the number while the top level stays "fulfilled".
 * - the account's number: `GET /v1/Account/{auth_id}/Number/{number}/` (the AccountPhoneNumber object), and
 *   unrent: `DELETE` on the same path, 204; the number is then held for 10 days before it returns to the carrier.
 * Errors are `{"api_id","error"}`, without codes; 401 bodies carry no api_id. Every authenticated call counts in the
 * account's sliding rate limit, shared with search.
 *
 * Options (behaviour.options):
 * - verification: 'required' → bought numbers answer `pending`, and activate once `orderDelayMs` (default 2000) has
 *   passed (the documents were accepted); 'rejected' → `pending`, then dropped after `orderDelayMs` and on sale
 *   again (the documents were refused).
 * - releaseHoldMs (default 10 days): how long an unrented number is held before it is on sale again.
 * - purchaseError: { status, error } → every buy that names a number answers this error. It is counted; nothing is
 *   bought.
 *
 * Choices where the reference is unverified (the adapter's README lists them too): a number not for sale (unknown,
 * sold, or already this account's) is 404 `{"error":"not found"}`, as reported from `numbers.buy` ([P-ISS-144]);
 * a pending number is not on the account (its GET is 404) until it activates; a body that is not JSON is 400; a
 * cnam_lookup other than enabled/disabled is 400; an unknown number on GET or DELETE is 404.
 */
const BUY = /^\/v1\/Account\/([^/]+)\/PhoneNumber\/([^/]+)\/$/;
const NUMBER = /^\/v1\/Account\/([^/]+)\/Number\/([^/]+)\/$/;
const DEFAULT_ACTIVATION_MS = 2000;
const DEFAULT_HOLD_MS = 10 * 24 * 3600 * 1000;

export function plivoOrderingOperation(req: EmuRequest): OperationKind | undefined {
  if (BUY.test(req.path)) return req.method === 'POST' ? 'purchase' : 'other';
  if (NUMBER.test(req.path)) return req.method === 'DELETE' ? 'release' : 'lookup';
  return undefined;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function render(authId: string, owned: OwnedNumber, n: InventoryNumber | undefined) {
  const digits = owned.e164.slice(1);
  const has = (f: string) => (n?.features as string[] | undefined)?.includes(f) ?? false;
  const country = n ? (COUNTRY_NAMES[n.country] ?? n.country) : '';
  return {
    added_on: day(owned.createdAt),
    alias: null,
    api_id: randomUUID(),
    application: null,
    carrier: 'Plivo',
    cnam_lookup: null,
    monthly_rental_rate: n?.type === 'toll_free' ? '1.00000' : '0.50000',
    number: digits,
    number_type: n?.type === 'toll_free' ? 'tollfree' : n?.type === 'mobile' ? 'mobile' : 'fixed',
    region: n?.locality ? `${titleCase(n.locality)}, ${country}` : country,
    renewal_date: day(owned.createdAt + 30 * 24 * 3600 * 1000),
    resource_uri: `/v1/Account/${authId}/Number/${digits}/`,
    sms_enabled: has('sms'),
    sms_rate: '0.00000',
    mms_enabled: has('mms'),
    mms_rate: '0.00000',
    voice_enabled: has('voice'),
    voice_rate: '0.00850',
    sub_account: null,
  };
}

/** Answers a number call, or undefined when the path is not one. */
export function handlePlivoOrdering(req: EmuRequest, ctx: CarrierContext): EmuResponse | undefined {
  const kind = plivoOrderingOperation(req);
  if (!kind) return undefined;
  const m = (BUY.exec(req.path) ?? NUMBER.exec(req.path))!;
  const basic = readBasic(req.headers);
  if (!basic) return unauthorised(NOT_PROVIDED);
  if (basic.user !== ctx.credentials.authId || basic.password !== ctx.credentials.authToken || decodeURIComponent(m[1]) !== basic.user) {
    return unauthorised(AUTH_FAILED);
  }
  const wait = overLimit(ctx.credentials, basic.user, ctx.options.rateLimit);
  if (wait !== undefined) return apiError(429, 'too many requests', { 'retry-after': String(wait) });
  const digits = decodeURIComponent(m[2]);
  if (!/^[1-9]\d{6,14}$/.test(digits)) return apiError(404, 'not found');
  const e164 = `+${digits}`;
  const account = ctx.account;

  if (kind === 'lookup' || kind === 'release') {
    const owned = account.owned.get(e164);
    if (!owned || owned.status !== 'active') return apiError(404, 'not found');
    if (kind === 'lookup') return json(200, render(basic.user, owned, account.catalogue.get(e164)));
    const hold = typeof ctx.options.releaseHoldMs === 'number' ? ctx.options.releaseHoldMs : DEFAULT_HOLD_MS;
    account.relinquish(e164, ctx.now, hold);
    return { status: 204, headers: {}, body: '' };
  }
  if (req.method !== 'POST') return apiError(405, 'method not allowed');
  return buy(req, ctx, e164);
}

function buy(req: EmuRequest, ctx: CarrierContext, e164: string): EmuResponse {
  if (req.body.trim() !== '') {
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return apiError(400, 'invalid JSON in the request body');
    }
    const cnam = (body as { cnam_lookup?: unknown } | null)?.cnam_lookup;
    if (cnam !== undefined && cnam !== 'enabled' && cnam !== 'disabled') return apiError(400, "cnam_lookup must be 'enabled' or 'disabled'");
  }
  const account = ctx.account;
  account.countPurchase(e164);
  const scripted = ctx.options.purchaseError as { status: number; error: string } | undefined;
  if (scripted) return apiError(scripted.status, scripted.error);
  if (!account.forSale(e164)) return apiError(404, 'not found');
  const verification = ctx.options.verification;
  const pending = verification === 'required' || verification === 'rejected';
  const owned: OwnedNumber = { e164, id: e164.slice(1), status: pending ? 'pending' : 'active', createdAt: ctx.now };
  account.acquire(owned);
  if (pending) {
    const delay = typeof ctx.options.orderDelayMs === 'number' ? ctx.options.orderDelayMs : DEFAULT_ACTIVATION_MS;
    account.schedule(ctx.now + delay, (now) => {
      if (verification === 'rejected') account.relinquish(e164, now);
      else owned.status = 'active';
    });
  }
  return json(201, {
    api_id: randomUUID(),
    message: 'created',
    numbers: [{ number: e164.slice(1), status: pending ? 'pending' : 'Success' }],
    status: 'fulfilled',
  });
}
