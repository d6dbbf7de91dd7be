import { type CarrierContext, type EmuRequest, type EmuResponse, json, type OperationKind } from '../core/carrier';
import type { InventoryNumber } from '../core/inventory';
import { authorised, error, headers, vonageType } from './vonage-wire';

/**
 * Vonage `POST /number/buy`, `POST /number/cancel` and `GET /account/numbers`, after docs/carriers/ordering.md §3
 * and test/fixtures/carrier-specs/vonage-numbers.openapi.yaml.
 *
 * - buy and cancel take a form (`application/x-www-form-urlencoded`) with `country` (ISO-2) and `msisdn` (digits,
 *   no '+'), optionally `target_api_key`; both are synchronous: 200 `{"error-code":"200","error-code-label":
 *   "success"}`, no number object and no order id (the msisdn is the identifier).
 * - A missing field is 400 with a field map, `{"country":"Is required."}` ([V-ISS-RUBY95]); a body that is not a
 *   form is not read, so both fields are missing.
 * - Refusals are 420 "Action failed" with the reason in `error-code-label` (the spec's response420).
 * - `/account/numbers` lists the account's numbers (`pattern` + `search_pattern` as for search, `country`,
 *   `size`, `index`); none is `{"count":0}`, one of the empty shapes of search (§1.3).
 *
 * Options (behaviour.options):
 * - purchaseError: '<label>' → every buy that names a number answers 420 with this label: 'method failed' is what
 *   Vonage answered without credit ([V-ISS-CLI157]); the spec's example label names the address a country
 *   requires. The request is counted; nothing is bought.
 *
 * Choices where the reference is unverified (the adapter's README lists them too): a number not for sale is 420
 * "The number you requested is not available"; a number the account owns is 420 "You already own this number" (the
 * spec only says "you may already own this number"); a malformed country or msisdn is 400 `{"field":"Is
 * invalid."}`; a msisdn not of the given country is not for sale (420), NANP toll-free numbers being of either NANP
 * country; a `target_api_key` other than the
 * account's own (subaccounts are not emulated) is 420 "method failed"; cancelling a number the account does not
 * own is 420 "method failed"; a cancelled number is on sale again at once.
 */
const BUY = '/number/buy';
const CANCEL = '/number/cancel';
const OWNED = '/account/numbers';

export function vonageOrderingOperation(req: EmuRequest): OperationKind | undefined {
  if (req.path === BUY) return 'purchase';
  if (req.path === CANCEL) return 'release';
  if (req.path === OWNED) return 'lookup';
  return undefined;
}

const SUCCESS = () => json(200, { 'error-code': '200', 'error-code-label': 'success' }, headers());

/** A form's fields, or none when the body is not a form (Vonage reads nothing else). */
function readForm(req: EmuRequest): URLSearchParams {
  const isForm = String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  return new URLSearchParams(isForm ? req.body : '');
}

/** 400 with the failing fields, or undefined when country and msisdn are both well-formed. */
function invalidFields(form: URLSearchParams): EmuResponse | undefined {
  const problems: Record<string, string> = {};
  const country = form.get('country');
  const msisdn = form.get('msisdn');
  if (country === null || country === '') problems.country = 'Is required.';
  else if (!/^[A-Z]{2}$/.test(country)) problems.country = 'Is invalid.';
  if (msisdn === null || msisdn === '') problems.msisdn = 'Is required.';
  else if (!/^[1-9]\d{6,14}$/.test(msisdn)) problems.msisdn = 'Is invalid.';
  return Object.keys(problems).length > 0 ? json(400, problems, headers()) : undefined;
}

export function handleVonageOrdering(req: EmuRequest, ctx: CarrierContext): EmuResponse | undefined {
  const kind = vonageOrderingOperation(req);
  if (!kind) return undefined;
  const form = req.method === 'POST' ? readForm(req) : undefined;
  if (kind === 'lookup' ? req.method !== 'GET' : req.method !== 'POST') return error(405, 'method not allowed');
  if (!authorised(req, ctx.credentials, form)) return error(401, 'authentication failed');
  if (kind === 'lookup') return ownedNumbers(req, ctx);
  const invalid = invalidFields(form!);
  if (invalid) return invalid;
  const target = form!.get('target_api_key');
  if (target !== null && target !== ctx.credentials.apiKey) return error(420, 'method failed');
  const country = form!.get('country')!;
  const e164 = `+${form!.get('msisdn')!}`;
  const account = ctx.account;

  if (kind === 'release') {
    const owned = account.owned.get(e164);
    const n = account.catalogue.get(e164);
    if (!owned || !n || !ofCountry(n, country)) return error(420, 'method failed');
    account.relinquish(e164, ctx.now);
    return SUCCESS();
  }

  account.countPurchase(e164);
  const scripted = ctx.options.purchaseError;
  if (typeof scripted === 'string') return error(420, scripted);
  if (account.owned.has(e164)) return error(420, 'You already own this number');
  const n = account.forSale(e164);
  if (!n || !ofCountry(n, country)) return error(420, 'The number you requested is not available');
  account.acquire({ e164, id: e164.slice(1), status: 'active', createdAt: ctx.now });
  return SUCCESS();
}

/** NANP toll-free numbers belong to no single country: either NANP country names them (unverified, see above). */
function ofCountry(n: InventoryNumber, country: string): boolean {
  return n.country === country || (n.type === 'toll_free' && n.callingCode === '1' && (country === 'US' || country === 'CA'));
}

function ownedNumbers(req: EmuRequest, ctx: CarrierContext): EmuResponse {
  const q = req.query;
  const country = q.get('country');
  const pattern = q.get('pattern');
  const mode = q.get('search_pattern') ?? '0';
  const size = Number(q.get('size') ?? 10);
  const index = Number(q.get('index') ?? 1);
  if ((country !== null && !/^[A-Z]{2}$/.test(country)) || !['0', '1', '2'].includes(mode) || !(size >= 1 && size <= 100) || !(index >= 1)) {
    return error(420, 'method failed');
  }
  const nanpLocalType = ctx.options.nanpLocalType === 'landline' ? 'landline' : 'mobile-lvn';
  const matches = [...ctx.account.owned.values()]
    .map((o) => ({ o, n: ctx.account.catalogue.get(o.e164)! }))
    .filter(({ o, n }) => {
      const digits = o.e164.slice(1);
      const patternOk = !pattern || (mode === '0' ? digits.startsWith(pattern) : mode === '1' ? digits.includes(pattern) : digits.endsWith(pattern));
      return (country === null || ofCountry(n, country)) && patternOk;
    });
  if (matches.length === 0) return json(200, { count: 0 }, headers());
  const numbers = matches.slice((index - 1) * size, index * size).map(({ o, n }) => ({
    country: n.country,
    msisdn: o.e164.slice(1),
    type: vonageType(n, nanpLocalType),
    features: n.features.filter((f) => f !== 'fax').map((f) => f.toUpperCase()),
  }));
  return json(200, { count: matches.length, numbers }, headers());
}
