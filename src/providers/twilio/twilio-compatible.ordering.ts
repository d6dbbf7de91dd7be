import type {
  CarrierOrderState,
  NumberOrdering,
  OrderCallContext,
  OrderErrorCode,
  PlacedOrder,
  PurchaseContext,
  ReleaseOutcome,
  UnknownOrder,
} from '../../domain/number-ordering';
import { E164 } from '../../domain/e164';
import type { ProviderHttp, ProviderResponse } from '../http/provider-http-client';
import { byHttpStatus, type CarrierLabel, failed, isUnknown, sendCall, unknown } from '../ordering/order-outcomes';
import type { TwilioErrorBody } from './twilio.types';

/**
 * Buying through a Twilio-style IncomingPhoneNumbers resource (Twilio, SignalWire's LaML API), after
 * docs/carriers/ordering.md §2 and §7: a form POST with PhoneNumber, synchronous (201 at Twilio, 200 at
 * SignalWire), flat `{code, message}` errors; owned numbers are listed with ?PhoneNumber= and released with
 * DELETE on the number's sid.
 */
export interface TwilioCompatibleOrderingApi {
  carrier: CarrierLabel;
  provider: string;
  /** The IncomingPhoneNumbers list: POST buys, GET ?PhoneNumber= looks up. */
  listUrl: string;
  /** One number's resource, by sid: DELETE releases it. */
  recordUrl(sid: string): string;
  /** What the carrier's number sids look like (a providerOrderId that is one is used as is). */
  sidPattern: RegExp;
  authorization: string;
}

/** Purchase error codes (ordering.md §2 Errors, §8 vocabulary). */
const CODES: Readonly<Record<string, OrderErrorCode>> = {
  '21422': 'number_unavailable', // PhoneNumber is not available
  '21421': 'invalid_number', // Phone Number is invalid
  '21451': 'invalid_number', // invalid area code
  '21631': 'regulatory_requirements', // Phone Number Requires an Address
  '21613': 'regulatory_requirements', // Requires an Address / Certification
  '21649': 'regulatory_requirements', // a regulated number without a compliant BundleSid
  '21650': 'regulatory_requirements', // Requires a Verified Identity Document
  '21404': 'account_restricted', // trial accounts may hold one number
  '10002': 'account_restricted', // trial-account feature limit
  '20005': 'insufficient_funds', // Account not active (for example, out of funds)
  '20003': 'auth_failed',
  '20008': 'auth_failed',
  '20429': 'rate_limited',
};

const FIXES: Readonly<Record<string, string>> = {
  '20005': 'The account is not active, most often for lack of funds: add funds or reactivate it, then order again.',
  '21631': 'Create an Address for the country of the number and order with it (AddressSid), or pick another number.',
  '21649': 'Regulated numbers need an approved regulatory Bundle (BundleSid): create one, or pick another number.',
};

interface IncomingPhoneNumber {
  sid?: string;
  phone_number?: string;
  status?: string;
}

export class TwilioCompatibleOrdering implements NumberOrdering {
  readonly provider: string;

  constructor(
    private readonly api: TwilioCompatibleOrderingApi,
    private readonly http: ProviderHttp,
  ) {
    this.provider = api.provider;
  }

  async purchase(phoneNumber: string, ctx: PurchaseContext): Promise<CarrierOrderState> {
    const carrier = this.api.carrier;
    if (!E164.test(phoneNumber)) return failed(carrier, 'invalid_number', `"${phoneNumber.slice(0, 20)}" is not an E.164 number`);
    const res = await sendCall(
      this.http,
      {
        method: 'POST',
        url: this.api.listUrl,
        form: new URLSearchParams({ PhoneNumber: phoneNumber }),
        headers: { authorization: this.api.authorization, accept: 'application/json' },
        signal: ctx.signal,
        sendOnce: true,
      },
      carrier,
    );
    if (isUnknown(res)) return res;
    if (res.ok) {
      // Twilio answers an owned number with 201 too ("in-use", ordering.md §2): either way the account holds it.
      const record = res.jsonOrUndefined() as IncomingPhoneNumber | undefined;
      if (typeof record?.sid !== 'string' || record.phone_number !== phoneNumber) {
        return unknown(`${carrier.name} answered HTTP ${res.status} without the number's record`);
      }
      return { state: 'completed', providerOrderId: record.sid };
    }
    return this.refusal(res);
  }

  async status(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState> {
    // Synchronous carrier: the number is on the account, or the purchase did not happen.
    const found = await this.reconcile(order, ctx);
    if (found !== 'not_found') return found;
    return failed(this.api.carrier, 'number_unavailable', `${this.api.carrier.name} has no ${order.phoneNumber} on the account`);
  }

  async reconcile(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'> {
    const found = await this.lookUp(order.phoneNumber, ctx);
    if (isUnknown(found)) return found;
    return found ? { state: 'completed', providerOrderId: found } : 'not_found';
  }

  async release(order: PlacedOrder, ctx: OrderCallContext): Promise<ReleaseOutcome> {
    const carrier = this.api.carrier;
    let sid = order.providerOrderId && this.api.sidPattern.test(order.providerOrderId) ? order.providerOrderId : undefined;
    if (!sid) {
      const found = await this.lookUp(order.phoneNumber, ctx);
      if (isUnknown(found)) return found;
      if (!found) return { state: 'released', alreadyGone: true };
      sid = found;
    }
    const res = await sendCall(
      this.http,
      { method: 'DELETE', url: this.api.recordUrl(sid), headers: { authorization: this.api.authorization, accept: 'application/json' }, signal: ctx.signal },
      carrier,
    );
    if (isUnknown(res)) return res;
    if (res.ok) return { state: 'released' };
    if (res.status === 404) return { state: 'released', alreadyGone: true };
    const refused = this.refusal(res);
    return refused.state === 'failed' || refused.state === 'unknown' ? refused : unknown(`${carrier.name} answered HTTP ${res.status}`);
  }

  /** The sid of the account's number, undefined when the account has none, or why the look-up failed. */
  private async lookUp(phoneNumber: string, ctx: OrderCallContext): Promise<string | undefined | UnknownOrder> {
    const carrier = this.api.carrier;
    const res = await sendCall(
      this.http,
      {
        url: this.api.listUrl,
        query: new URLSearchParams({ PhoneNumber: phoneNumber }),
        headers: { authorization: this.api.authorization, accept: 'application/json' },
        signal: ctx.signal,
      },
      carrier,
    );
    if (isUnknown(res)) return res;
    if (!res.ok) return unknown(`the look-up of ${phoneNumber} failed: ${describeRefusal(this.refusal(res))}`);
    const body = res.jsonOrUndefined() as { incoming_phone_numbers?: IncomingPhoneNumber[] } | undefined;
    if (!Array.isArray(body?.incoming_phone_numbers)) return unknown(`${carrier.name} answered the look-up without incoming_phone_numbers`);
    // The list filter matches partial numbers: only the exact one counts.
    return body.incoming_phone_numbers.find((n) => n?.phone_number === phoneNumber && typeof n.sid === 'string')?.sid;
  }

  /** A non-2xx answer: the carrier's code decides, then the HTTP status. */
  private refusal(res: ProviderResponse): CarrierOrderState {
    const carrier = this.api.carrier;
    const body = res.jsonOrUndefined() as TwilioErrorBody | undefined;
    const code = body?.code !== undefined && body.code !== null ? String(body.code) : undefined;
    const message = typeof body?.message === 'string' && body.message.trim() !== '' ? body.message.trim() : `HTTP ${res.status}`;
    if (body === undefined || typeof body !== 'object') {
      return byHttpStatus(res, carrier) ?? unknown(`${carrier.name} answered HTTP ${res.status} with a body that is not its error format`);
    }
    const mapped = code ? CODES[code] : undefined;
    if (mapped === 'auth_failed' || mapped === 'rate_limited' || (!mapped && (res.status === 401 || res.status === 403 || res.status === 429 || res.status >= 500))) {
      return byHttpStatus(res, carrier, code) ?? failed(carrier, mapped ?? 'carrier_error', `${carrier.name}: ${message}`, { providerCode: code });
    }
    if (mapped) return failed(carrier, mapped, `${carrier.name}: ${message}`, { providerCode: code, fix: code ? FIXES[code] : undefined });
    // SignalWire answers an unavailable number with 422 "Invalid Attribute" and no detail (ordering.md §7).
    if (res.status === 422) return failed(carrier, 'number_unavailable', `${carrier.name}: ${message}`, { providerCode: code });
    return failed(carrier, 'invalid_request', `${carrier.name}: ${message}`, { providerCode: code });
  }
}

function describeRefusal(state: CarrierOrderState): string {
  if (state.state === 'failed') return `${state.error.code} (${state.error.message})`;
  if (state.state === 'unknown') return state.reason;
  return state.state;
}
