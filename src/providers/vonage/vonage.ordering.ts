import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type {
  CarrierOrderState,
  NumberOrdering,
  OrderCallContext,
  OrderingSetup,
  PlacedOrder,
  PurchaseContext,
  ReleaseOutcome,
  UnknownOrder,
} from '../../domain/number-ordering';
import { basicAuth } from '../http/basic-auth';
import { E164 } from '../../domain/e164';
import type { ProviderHttp, ProviderResponse } from '../http/provider-http-client';
import { byHttpStatus, type CarrierLabel, failed, isUnknown, sendCall, unknown } from '../ordering/order-outcomes';
import type { ProviderDeps } from '../provider-definition';
import type { VonageConfig } from './vonage.config';

const VONAGE: CarrierLabel = { name: 'Vonage', credentials: 'VONAGE_API_KEY and VONAGE_API_SECRET' };

/**
 * Buying at Vonage (docs/carriers/ordering.md §3): `POST /number/buy` and `/number/cancel` with a form of
 * `country` and `msisdn` (digits, no '+'), Basic auth; synchronous, no order id (the msisdn is the identifier).
 * Owned numbers: `GET /account/numbers?country=&pattern=<msisdn>&search_pattern=0`.
 */
export class VonageOrdering implements NumberOrdering {
  readonly provider = 'vonage';
  private readonly authorization: string;

  constructor(
    private readonly config: VonageConfig,
    private readonly http: ProviderHttp,
  ) {
    this.authorization = basicAuth(config.apiKey, config.apiSecret);
  }

  async purchase(phoneNumber: string, ctx: PurchaseContext): Promise<CarrierOrderState> {
    const form = numberForm(phoneNumber);
    if (!form) return failed(VONAGE, 'invalid_number', `"${phoneNumber.slice(0, 20)}" is not an E.164 number of a known country`);
    const res = await this.post('/number/buy', form, ctx, true);
    if (isUnknown(res)) return res;
    return this.outcome(res);
  }

  async status(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState> {
    const found = await this.reconcile(order, ctx);
    if (found !== 'not_found') return found;
    return failed(VONAGE, 'number_unavailable', `Vonage has no ${order.phoneNumber} on the account`);
  }

  async reconcile(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'> {
    const owned = await this.owns(order.phoneNumber, ctx);
    if (typeof owned !== 'boolean') return owned;
    return owned ? { state: 'completed' } : 'not_found';
  }

  async release(order: PlacedOrder, ctx: OrderCallContext): Promise<ReleaseOutcome> {
    const form = numberForm(order.phoneNumber);
    if (!form) return failed(VONAGE, 'invalid_number', `"${order.phoneNumber.slice(0, 20)}" is not an E.164 number of a known country`);
    const res = await this.post('/number/cancel', form, ctx, false);
    if (isUnknown(res)) return res;
    const outcome = this.outcome(res);
    if (outcome.state === 'completed') return { state: 'released' };
    // 420 also answers a number the account does not hold: released already, if the account says so.
    if (outcome.state === 'failed' && res.status === 420) {
      const owned = await this.owns(order.phoneNumber, ctx);
      if (owned === false) return { state: 'released', alreadyGone: true };
      return failed(VONAGE, 'carrier_error', `Vonage refused to cancel the number: ${outcome.error.message}`, { providerCode: outcome.error.providerCode });
    }
    return outcome.state === 'failed' || outcome.state === 'unknown' ? outcome : unknown(`Vonage answered HTTP ${res.status}`);
  }

  private post(path: string, form: URLSearchParams, ctx: OrderCallContext, sendOnce: boolean) {
    return sendCall(
      this.http,
      {
        method: 'POST',
        url: `${this.config.baseUrl}${path}`,
        form,
        headers: { authorization: this.authorization, accept: 'application/json' },
        signal: ctx.signal,
        sendOnce,
      },
      VONAGE,
    );
  }

  /** Whether the account holds the number, or why the look-up failed. */
  private async owns(phoneNumber: string, ctx: OrderCallContext): Promise<boolean | UnknownOrder> {
    const form = numberForm(phoneNumber);
    if (!form) return false;
    const msisdn = form.get('msisdn')!;
    const res = await sendCall(
      this.http,
      {
        url: `${this.config.baseUrl}/account/numbers`,
        query: new URLSearchParams({ country: form.get('country')!, pattern: msisdn, search_pattern: '0' }),
        headers: { authorization: this.authorization, accept: 'application/json' },
        signal: ctx.signal,
      },
      VONAGE,
    );
    if (isUnknown(res)) return res;
    if (!res.ok) {
      const refused = this.outcome(res);
      return unknown(`the look-up of ${phoneNumber} failed: ${refused.state === 'failed' ? refused.error.message : `HTTP ${res.status}`}`);
    }
    // The empty list comes as `{"count":0}`, `{}` or an empty body, as search's (vonage-…-sinch.md §1.3).
    if (res.body.trim() === '') return false;
    const body = res.jsonOrUndefined() as { numbers?: { msisdn?: unknown }[] } | undefined;
    if (typeof body !== 'object' || body === null) return unknown('Vonage answered the look-up with a body that is not JSON');
    if (body.numbers === undefined) return false;
    if (!Array.isArray(body.numbers)) return unknown('Vonage answered the look-up without a numbers array');
    // A start-with pattern also matches longer numbers: only the exact msisdn counts.
    return body.numbers.some((n) => String(n?.msisdn ?? '') === msisdn);
  }

  /**
   * Any answer of buy or cancel. `error-code` is read even on a 200: Vonage's own SDK does not throw on it
   * (ordering.md §3 Errors), and "200" is the only success.
   */
  private outcome(res: ProviderResponse): CarrierOrderState {
    const raw = res.jsonOrUndefined();
    const body = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : undefined;
    const code = body && (typeof body['error-code'] === 'string' || typeof body['error-code'] === 'number') ? String(body['error-code']).trim() : undefined;
    const label = body && typeof body['error-code-label'] === 'string' ? body['error-code-label'].trim() : '';
    if (res.ok && code === '200') return { state: 'completed' };
    if (res.ok && code === undefined) return unknown(`Vonage answered HTTP ${res.status} without an error-code`);
    const byStatus = byHttpStatus(res, VONAGE, code);
    if (byStatus) return byStatus;
    if (body === undefined) return unknown(`Vonage answered HTTP ${res.status} with a body that is not its error format`);
    if (code === '420' || res.status === 420) return refusal(label, code ?? '420');
    if (code === '401') return failed(VONAGE, 'auth_failed', `Vonage: ${label || 'authentication failed'}`, { providerCode: code });
    if (code === '429') return failed(VONAGE, 'rate_limited', `Vonage: ${label || 'too many requests'}`, { providerCode: code });
    if (res.status === 400 && code === undefined) {
      // A field map such as {"msisdn":"Is invalid."} ([V-ISS-RUBY95]).
      const fields = Object.entries(body).map(([k, v]) => `${k}: ${String(v)}`).join('; ');
      return failed(VONAGE, 'msisdn' in body ? 'invalid_number' : 'invalid_request', `Vonage rejected the request (${fields})`);
    }
    return failed(VONAGE, 'invalid_request', `Vonage: ${label || `HTTP ${res.status}`}`, { providerCode: code });
  }
}

/**
 * 420 "Action failed": the label carries the reason (ordering.md §3, §8). Vonage sent "method failed" for a
 * purchase without credit ([V-ISS-CLI157]), though it answers it for other refusals too; "already own" and the
 * address/Dashboard label have their own codes; any other label is a number Vonage will not sell us.
 */
function refusal(label: string, code: string): CarrierOrderState {
  const message = `Vonage: ${label || 'action failed'}`;
  if (/already own/i.test(label)) return failed(VONAGE, 'already_owned', message, { providerCode: code });
  if (/method failed/i.test(label)) {
    return failed(VONAGE, 'insufficient_funds', message, {
      providerCode: code,
      fix: 'Vonage answers "method failed" to a purchase without enough credit: check the account balance and add funds (it also answers it to arguments it rejects).',
    });
  }
  if (/address|dashboard|document|regulat/i.test(label)) return failed(VONAGE, 'regulatory_requirements', message, { providerCode: code });
  return failed(VONAGE, 'number_unavailable', message, { providerCode: code });
}

/** `country` and `msisdn` (digits without '+') for a number; undefined when it is not E.164 of a known country. */
function numberForm(phoneNumber: string): URLSearchParams | undefined {
  if (!E164.test(phoneNumber)) return undefined;
  const country = parsePhoneNumberFromString(phoneNumber)?.country;
  if (!country) return undefined;
  return new URLSearchParams({ country, msisdn: phoneNumber.slice(1) });
}

export function createVonageOrdering(config: VonageConfig, deps: ProviderDeps): OrderingSetup {
  return { available: true, ordering: new VonageOrdering(config, deps.http) };
}
