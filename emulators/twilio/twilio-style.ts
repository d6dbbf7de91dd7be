import { type CarrierContext, type EmuRequest, type EmuResponse, json, type OperationKind, readBasic } from '../core/carrier';
import type { EmuNumberType, InventoryNumber } from '../core/inventory';
import { unitHash } from '../core/random';

/**
 * The 2010-04-01 AvailablePhoneNumbers resource as Twilio serves it (docs/carriers/telnyx-twilio.md §2),
 * parametrised for SignalWire's compatibility API, which differs in the quirks listed in `TwilioStyle`.
 */
export interface TwilioStyle {
  /** Path before `/Accounts/...`, e.g. '/2010-04-01' or '/api/laml/2010-04-01'. */
  apiRoot: string;
  /** Whether `.json` is required after the type (Twilio) or absent (SignalWire). */
  jsonSuffix: boolean;
  types: Partial<Record<string, EmuNumberType>>;
  /** Account id pattern of the path. */
  accountPattern: RegExp;
  /** SignalWire accepts SmsEnabled & co. but ignores them. */
  honoursCapabilityFilters: boolean;
  /**
   * Whether `capabilities` has a `fax` key (Twilio: unverified, emitted; SignalWire: its reference pages list
   * "Voice, SMS, MMS, and Fax", its 2026 spec voice, SMS and MMS only: emitted unless options.faxCapability is false).
   */
  sendsFax: boolean;
  /** SignalWire's locality is always null. */
  sendsLocality: boolean;
  /** Twilio's `address_requirements`; SignalWire's schema has no such property. */
  sendsAddressRequirements: boolean;
  /** Captured SignalWire payloads carry error codes as strings. */
  stringCodes: boolean;
  moreInfoBase: string;
  /** The message of the carrier's 401 / 20003 body. */
  authFailedMessage: string;
}

const NANP = ['US', 'CA'];

export function flatError(style: TwilioStyle, status: number, code: number, message: string): EmuResponse {
  return json(status, { code: style.stringCodes ? String(code) : code, message, more_info: `${style.moreInfoBase}/${code}`, status });
}

/** The carrier's 401 / 20003, both for a failed auth check and for a scripted 401. */
export function authFailed(style: TwilioStyle): EmuResponse {
  return flatError(style, 401, 20003, style.authFailedMessage);
}

/** 429 / 20429 (§2.4); Retry-After is sent when scripted, since whether Twilio sends it is unverified (§2.5). */
export function rateLimited(style: TwilioStyle, retryAfterSeconds: number | undefined): EmuResponse {
  const res = flatError(style, 429, 20429, 'Too Many Requests');
  if (retryAfterSeconds !== undefined) res.headers = { ...res.headers, 'retry-after': String(retryAfterSeconds) };
  return res;
}

function friendlyName(n: InventoryNumber): string {
  if (n.callingCode === '1') return `(${n.national.slice(0, 3)}) ${n.national.slice(3, 6)}-${n.national.slice(6)}`;
  return n.e164;
}

function render(style: TwilioStyle, n: InventoryNumber, sendsFax: boolean) {
  const geo = NANP.includes(n.country) && n.type === 'local';
  return {
    friendly_name: friendlyName(n),
    phone_number: n.e164,
    lata: geo && style.sendsLocality ? '722' : null,
    locality: style.sendsLocality && n.type !== 'toll_free' ? (n.locality ?? null) : null,
    rate_center: geo ? (n.rateCenter ?? null) : null,
    latitude: geo && style.sendsLocality ? '37.774900' : null,
    longitude: geo && style.sendsLocality ? '-122.419400' : null,
    region: geo ? (n.region ?? null) : null,
    postal_code: geo && style.sendsLocality ? '94103' : null,
    iso_country: n.country,
    ...(style.sendsAddressRequirements ? { address_requirements: 'none' } : {}),
    beta: false,
    // The live API's casing: voice, SMS, MMS (§2.5 quirk 1).
    capabilities: {
      voice: n.features.includes('voice'),
      SMS: n.features.includes('sms'),
      MMS: n.features.includes('mms'),
      ...(sendsFax ? { fax: n.features.includes('fax') } : {}),
    },
  };
}

const BOOLEAN_FILTERS = { SmsEnabled: 'sms', MmsEnabled: 'mms', VoiceEnabled: 'voice', FaxEnabled: 'fax' } as const;

/**
 * Options common to both carriers (behaviour.options):
 * - malformedItems: true → also return items an adapter must skip (no phone_number, null, not E.164, not
 *   an object).
 * - accountError: { status, code, message } → every authenticated search fails with this flat error (for
 *   the account-state codes whose status is unverified: Twilio 20005 / 10001).
 * - integerCodes: true → SignalWire's error codes as integers, as its spec types them (captured payloads
 *   have strings, the default), for answers of the search itself (auth, 404, validation, accountError).
 * - ignoreCapabilityFilters: true → accept SmsEnabled & co. but return numbers without those capabilities
 *   too (a carrier sending near matches: the service must filter them out itself).
 * - faxCapability: false → `capabilities` without the fax key.
 */
const MALFORMED_ITEMS: unknown[] = [
  { friendly_name: '(415) 555-0100', capabilities: { voice: true } },
  { friendly_name: null, phone_number: null, capabilities: { voice: true } },
  { friendly_name: '415-555-0123', phone_number: '415-555-0123', capabilities: { voice: true } },
  42,
];

interface AccountError {
  status: number;
  code: number;
  message: string;
}

/** The AvailablePhoneNumbers paths of this style are searches. */
export function twilioStyleOperation(style: TwilioStyle, req: EmuRequest): OperationKind {
  return req.path.startsWith(`${style.apiRoot}/Accounts/`) && req.path.includes('/AvailablePhoneNumbers/') ? 'search' : 'other';
}

export function handleTwilioStyle(carrierStyle: TwilioStyle, req: EmuRequest, ctx: CarrierContext, cap: number): EmuResponse {
  const style = ctx.options.integerCodes === true ? { ...carrierStyle, stringCodes: false } : carrierStyle;
  const escaped = style.apiRoot.replace(/[/.]/g, '\\$&');
  const m = new RegExp(`^${escaped}/Accounts/([^/]+)/AvailablePhoneNumbers/([^/]+)/([A-Za-z]+)${style.jsonSuffix ? '\\.json' : '(?:\\.json)?'}$`).exec(req.path);
  if (!m) return flatError(style, 404, 20404, `The requested resource ${req.path} was not found`);
  const [, account, country, typePath] = m;
  const basic = readBasic(req.headers);
  if (!basic || basic.user !== ctx.credentials.user || basic.password !== ctx.credentials.password || account !== ctx.credentials.user) {
    return authFailed(style);
  }
  const accountError = ctx.options.accountError as AccountError | undefined;
  if (accountError) return flatError(style, accountError.status, accountError.code, accountError.message);
  if (!style.accountPattern.test(account)) return flatError(style, 404, 20404, `The requested resource ${req.path} was not found`);
  const type = style.types[typePath];
  const offered = new Set(ctx.inventory.filter((n) => n.country === country).map((n) => n.type));
  if (!type || !offered.has(type)) return flatError(style, 404, 20404, `The requested resource ${req.path} was not found`);

  const q = req.query;
  const areaCode = q.get('AreaCode');
  if (areaCode !== null && !/^\d+$/.test(areaCode)) return flatError(style, 400, 21451, `Invalid area code: ${areaCode}`);
  const required: string[] = [];
  for (const [param, feature] of Object.entries(BOOLEAN_FILTERS)) {
    const v = q.get(param);
    if (v === null) continue;
    if (v !== 'true' && v !== 'false') return flatError(style, 400, 20001, `${param} must be true or false`);
    // Only `true` filters; `false` does not exclude (§2.5 quirk 3).
    if (v === 'true' && style.honoursCapabilityFilters && ctx.options.ignoreCapabilityFilters !== true) required.push(feature);
  }
  const pageSize = q.get('PageSize');
  if (pageSize !== null && (!/^\d+$/.test(pageSize) || Number(pageSize) < 1 || Number(pageSize) > 1000)) {
    return flatError(style, 400, 20001, 'PageSize must be an integer from 1 to 1000');
  }
  const size = Math.min(Number(pageSize ?? 50), cap);
  // AreaCode applies in the US and Canada only (§2.5 quirk 5); unknown parameters are ignored (quirk 7).
  const applyArea = areaCode !== null && NANP.includes(country);
  const numbers = ctx.inventory
    .filter((n) => n.country === country && n.type === type)
    .filter((n) => !applyArea || n.national.startsWith(areaCode))
    .filter((n) => required.every((f) => (n.features as string[]).includes(f)))
    .sort((a, b) => unitHash(`tw${a.e164}`) - unitHash(`tw${b.e164}`))
    .slice(0, size);
  const sendsFax = style.sendsFax && ctx.options.faxCapability !== false;
  const items: unknown[] = numbers.map((n) => render(style, n, sendsFax));
  if (ctx.options.malformedItems === true && items.length > 0) items.splice(1, 0, ...MALFORMED_ITEMS);
  // No paging links: results are capped and never paged (§2.5 quirk 2).
  return json(200, {
    uri: `${style.apiRoot}/Accounts/${account}/AvailablePhoneNumbers/${country}/${typePath}${style.jsonSuffix ? '.json' : ''}`,
    available_phone_numbers: items,
  });
}
