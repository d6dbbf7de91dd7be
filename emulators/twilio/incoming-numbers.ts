import { randomBytes, randomUUID } from 'node:crypto';
import type { OwnedNumber } from '../core/account';
import { type CarrierContext, type EmuRequest, type EmuResponse, json, type OperationKind, readBasic } from '../core/carrier';
import type { EmuNumberType, InventoryNumber } from '../core/inventory';
import { authFailed, flatError, type TwilioStyle } from './twilio-style';

/**
 * The IncomingPhoneNumbers resource: buying (POST), listing (GET with ?PhoneNumber=), fetching and releasing
 * (DELETE) the account's numbers, after docs/carriers/ordering.md §2 (Twilio) and §7 (SignalWire LaML), and
 * test/fixtures/carrier-specs/twilio-incoming-phone-numbers.openapi.json.
 *
 * - POST takes a form (`application/x-www-form-urlencoded`): `PhoneNumber` (E.164) or `AreaCode` (US/CA); other
 *   fields of the spec are accepted and ignored. Any other body is not read, so the request lacks both: 400/21452
 *   is not a verified code, 400 with 20001 is answered. A malformed PhoneNumber is 400/21421, a number the carrier
 *   does not have for sale 400/21422 ("Unable to create record: ... is not available", as SDKs quote it [W-HAIL]).
 * - Twilio answers 201; a number this account already owns is answered again with 201 and status "in-use"
 *   ([W-EXTW]). SignalWire answers 200 ([SW-LAML-IPN]); its double purchase is unverified: refused as 21422.
 * - The typed sub-resources (Local, Mobile, TollFree) buy only numbers of their type (21422 otherwise).
 * - DELETE answers 204 and puts the number back on sale at once (Twilio documents no hold).
 *
 * Options (behaviour.options):
 * - purchaseError: { status, code, message } → every purchase that names a number fails with this flat error
 *   (Twilio's documented purchase codes: 21631 address required, 21649 bundle, 20005 account not active, 21404
 *   trial limit...). The request is counted; nothing is bought.
 */
export interface IncomingStyle {
  /** HTTP status of a created number. */
  createdStatus: number;
  newSid(): string;
  /** What buying a number this account already holds does. */
  rebuyOwned: 'answer_existing' | 'refuse';
}

export const TWILIO_INCOMING: IncomingStyle = {
  createdStatus: 201,
  newSid: () => `PN${randomBytes(16).toString('hex')}`,
  rebuyOwned: 'answer_existing',
};

export const SIGNALWIRE_INCOMING: IncomingStyle = {
  createdStatus: 200,
  newSid: () => randomUUID(),
  rebuyOwned: 'refuse',
};

const TYPE_PATHS: Readonly<Record<string, EmuNumberType>> = { Local: 'local', Mobile: 'mobile', TollFree: 'toll_free' };

interface Route {
  account: string;
  /** A type sub-resource (Local, Mobile, TollFree), or a number's sid, or nothing (the list itself). */
  typePath?: string;
  sid?: string;
}

/** One pattern per style, compiled once: it is tried on every request. */
const PATTERNS = new WeakMap<TwilioStyle, RegExp>();

function route(style: TwilioStyle, path: string): Route | undefined {
  let pattern = PATTERNS.get(style);
  if (!pattern) {
    const escaped = style.apiRoot.replace(/[/.]/g, '\\$&');
    const suffix = style.jsonSuffix ? '\\.json' : '(?:\\.json)?';
    PATTERNS.set(style, (pattern = new RegExp(`^${escaped}/Accounts/([^/]+)/IncomingPhoneNumbers(?:/([^/.]+))?${suffix}$`)));
  }
  const m = pattern.exec(path);
  if (!m) return undefined;
  const [, account, child] = m;
  if (child === undefined) return { account };
  return Object.hasOwn(TYPE_PATHS, child) ? { account, typePath: child } : { account, sid: child };
}

export function incomingOperation(style: TwilioStyle, req: EmuRequest): OperationKind | undefined {
  const r = route(style, req.path);
  if (!r) return undefined;
  if (req.method === 'POST' && !r.sid) return 'purchase';
  if (req.method === 'DELETE') return 'release';
  return 'lookup';
}

/** RFC 2822 dates, as the 2010 API writes them. */
const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

function render(style: TwilioStyle, account: string, owned: OwnedNumber, n: InventoryNumber | undefined) {
  const path = `${style.apiRoot}/Accounts/${account}/IncomingPhoneNumbers/${owned.id}${style.jsonSuffix ? '.json' : ''}`;
  const has = (f: string) => (n?.features as string[] | undefined)?.includes(f) ?? false;
  return {
    account_sid: account,
    address_requirements: 'none',
    address_sid: null,
    api_version: '2010-04-01',
    beta: false,
    capabilities: { voice: has('voice'), sms: has('sms'), mms: has('mms'), fax: has('fax') },
    date_created: rfc2822(owned.createdAt),
    date_updated: rfc2822(owned.createdAt),
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    friendly_name: owned.e164,
    identity_sid: null,
    origin: style.jsonSuffix ? 'twilio' : 'signalwire',
    phone_number: owned.e164,
    sid: owned.id,
    sms_application_sid: null,
    sms_fallback_method: 'POST',
    sms_fallback_url: null,
    sms_method: 'POST',
    sms_url: null,
    status_callback: null,
    status_callback_method: 'POST',
    trunk_sid: null,
    uri: path,
    voice_receive_mode: 'voice',
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_url: null,
    bundle_sid: null,
    status: owned.status,
    type: n?.type === 'toll_free' ? 'tollfree' : (n?.type ?? 'local'),
  };
}

interface ScriptedError {
  status: number;
  code: number;
  message: string;
}

/** Answers an IncomingPhoneNumbers request, or undefined when the path is not one. */
export function handleIncomingNumbers(style: TwilioStyle, incoming: IncomingStyle, req: EmuRequest, ctx: CarrierContext): EmuResponse | undefined {
  const r = route(style, req.path);
  if (!r) return undefined;
  const basic = readBasic(req.headers);
  if (!basic || basic.user !== ctx.credentials.user || basic.password !== ctx.credentials.password || r.account !== ctx.credentials.user) {
    return authFailed(style);
  }
  const notFound = () => flatError(style, 404, 20404, `The requested resource ${req.path} was not found`);
  if (!style.accountPattern.test(r.account)) return notFound();
  const account = ctx.account;
  const find = (sid: string) => [...account.owned.values()].find((o) => o.id === sid);

  if (r.sid !== undefined) {
    const owned = find(r.sid);
    if (!owned) return notFound();
    if (req.method === 'GET') return json(200, render(style, r.account, owned, account.catalogue.get(owned.e164)));
    if (req.method === 'DELETE') {
      account.relinquish(owned.e164, ctx.now);
      return { status: 204, headers: {}, body: '' };
    }
    return flatError(style, 405, 20004, 'Method not allowed');
  }

  if (req.method === 'GET') {
    const wanted = req.query.get('PhoneNumber');
    const pageSize = Math.min(Number(req.query.get('PageSize') ?? 50) || 50, 1000);
    const type = r.typePath ? TYPE_PATHS[r.typePath] : undefined;
    // Partial numbers match, '*' standing for any digit (the list's PhoneNumber filter).
    const pattern = wanted === null ? undefined : new RegExp(wanted.replace(/[^\d*]/g, '').replace(/\*/g, '\\d'));
    const items = [...account.owned.values()]
      .filter((o) => !pattern || pattern.test(o.e164.slice(1)))
      .filter((o) => !type || account.catalogue.get(o.e164)?.type === type)
      .slice(0, pageSize)
      .map((o) => render(style, r.account, o, account.catalogue.get(o.e164)));
    const uri = `${style.apiRoot}/Accounts/${r.account}/IncomingPhoneNumbers${r.typePath ? `/${r.typePath}` : ''}${style.jsonSuffix ? '.json' : ''}`;
    return json(200, {
      end: Math.max(0, items.length - 1),
      first_page_uri: `${uri}?PageSize=${pageSize}&Page=0`,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri: `${uri}?PageSize=${pageSize}&Page=0`,
      incoming_phone_numbers: items,
    });
  }
  if (req.method !== 'POST') return flatError(style, 405, 20004, 'Method not allowed');
  return purchase(style, incoming, r, req, ctx);
}

function purchase(style: TwilioStyle, incoming: IncomingStyle, r: Route, req: EmuRequest, ctx: CarrierContext): EmuResponse {
  const account = ctx.account;
  // Only a form is read: any other body leaves both PhoneNumber and AreaCode missing.
  const isForm = String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const form = new URLSearchParams(isForm ? req.body : '');
  const phoneNumber = form.get('PhoneNumber');
  const areaCode = form.get('AreaCode');
  if (phoneNumber === null && areaCode === null) {
    return flatError(style, 400, 20001, "Missing required parameter: you must provide an 'AreaCode' or a 'PhoneNumber'");
  }
  const type = r.typePath ? TYPE_PATHS[r.typePath] : undefined;
  let e164: string;
  if (phoneNumber !== null) {
    if (!/^\+[1-9]\d{6,14}$/.test(phoneNumber)) return flatError(style, 400, 21421, `Phone Number is invalid: ${phoneNumber}`);
    e164 = phoneNumber;
  } else {
    if (!/^[2-9]\d{2}$/.test(areaCode!)) return flatError(style, 400, 21451, `Invalid area code: ${areaCode}`);
    const found = ctx.inventory.find((n) => ['US', 'CA'].includes(n.country) && n.areaCode === areaCode && (!type || n.type === type));
    if (!found) return flatError(style, 400, 21422, `Unable to create record: no phone number is available in area code ${areaCode}`);
    e164 = found.e164;
  }
  account.countPurchase(e164);
  const scripted = ctx.options.purchaseError as ScriptedError | undefined;
  if (scripted) return flatError(style, scripted.status, scripted.code, scripted.message);

  const mine = account.owned.get(e164);
  if (mine && incoming.rebuyOwned === 'answer_existing') {
    // Twilio answers an owned number as if created again ([W-EXTW]).
    return json(incoming.createdStatus, render(style, r.account, mine, account.catalogue.get(e164)));
  }
  const n = account.forSale(e164);
  if (!n || (type && n.type !== type)) return flatError(style, 400, 21422, `Unable to create record: PhoneNumber ${e164} is not available`);
  const owned: OwnedNumber = { e164, id: incoming.newSid(), status: 'in-use', createdAt: ctx.now };
  account.acquire(owned);
  return json(incoming.createdStatus, render(style, r.account, owned, n));
}
