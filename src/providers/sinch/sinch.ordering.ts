import type {
  CarrierOrderState,
  FailedOrder,
  NumberOrdering,
  OrderCallContext,
  OrderingSetup,
  PlacedOrder,
  PurchaseContext,
  ReleaseOutcome,
  UnknownOrder,
} from '../../domain/number-ordering';
import { E164 } from '../../domain/e164';
import type { ProviderHttp, ProviderRequest, ProviderResponse } from '../http/provider-http-client';
import { byHttpStatus, type CarrierLabel, failed, isUnknown, sendCall, unknown } from '../ordering/order-outcomes';
import { isProviderError } from '../../domain/provider-error';
import type { ProviderDeps } from '../provider-definition';
import type { SinchConfig } from './sinch.config';
import { requestSinchToken } from './sinch.oauth';
import { SinchTokenCache } from './sinch.token';
import type { SinchErrorBody } from './sinch.types';

const SINCH: CarrierLabel = { name: 'Sinch', credentials: 'SINCH_PROJECT_ID, SINCH_KEY_ID and SINCH_KEY_SECRET' };

interface ActiveNumber {
  phoneNumber?: string;
  expireAt?: string;
}

/**
 * Renting at Sinch (docs/carriers/ordering.md §6): `POST /v1/projects/{projectId}/availableNumbers/{phoneNumber}:rent`
 * (E.164 with '+'), JSON, answering the ActiveNumber: the number is the project's at once (its SMS/voice
 * provisioning is configuration, not an order state). `GET …/activeNumbers/{phoneNumber}` looks it up,
 * `POST …/activeNumbers/{phoneNumber}:release` releases it. OAuth2 bearer tokens, as for search.
 */
export class SinchOrdering implements NumberOrdering {
  readonly provider = 'sinch';
  private readonly project: string;
  private readonly tokens: SinchTokenCache;

  constructor(
    config: SinchConfig,
    private readonly http: ProviderHttp,
  ) {
    this.project = `${config.baseUrl}/v1/projects/${encodeURIComponent(config.projectId)}`;
    this.tokens = new SinchTokenCache((signal) => requestSinchToken(http, config, signal));
  }

  async purchase(phoneNumber: string, ctx: PurchaseContext): Promise<CarrierOrderState> {
    if (!E164.test(phoneNumber)) return failed(SINCH, 'invalid_number', `"${phoneNumber.slice(0, 20)}" is not an E.164 number`);
    const token = await this.token(ctx);
    if (typeof token !== 'string') return token;
    // '+' stays literal in the path, as Sinch's documentation writes it.
    const res = await this.call(
      { method: 'POST', url: `${this.project}/availableNumbers/${phoneNumber}:rent`, body: { contentType: 'application/json', text: '{}' }, sendOnce: true },
      token,
      ctx,
    );
    if (isUnknown(res)) return res;
    if (res.ok) {
      const body = res.jsonOrUndefined() as ActiveNumber | undefined;
      return body?.phoneNumber === phoneNumber ? { state: 'completed' } : unknown(`Sinch answered HTTP ${res.status} without the rented number`);
    }
    // Never retried, even with a fresh token: the next order gets one.
    if (res.status === 401) this.tokens.invalidate(token);
    return refusal(res);
  }

  async status(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState> {
    const found = await this.reconcile(order, ctx);
    if (found !== 'not_found') return found;
    return failed(SINCH, 'number_unavailable', `Sinch has no active number ${order.phoneNumber} in the project`);
  }

  async reconcile(order: PlacedOrder, ctx: OrderCallContext): Promise<CarrierOrderState | 'not_found'> {
    const res = await this.lookUp(order.phoneNumber, ctx);
    if (isUnknown(res)) return res;
    if (res.ok) return { state: 'completed' };
    if (notFound(res, 'ActiveNumber')) return 'not_found';
    const refused = refusal(res);
    return unknown(`the look-up of ${order.phoneNumber} failed: ${refused.state === 'failed' ? refused.error.message : `HTTP ${res.status}`}`);
  }

  async release(order: PlacedOrder, ctx: OrderCallContext): Promise<ReleaseOutcome> {
    const token = await this.token(ctx);
    if (typeof token !== 'string') return token;
    const res = await this.call({ method: 'POST', url: `${this.project}/activeNumbers/${order.phoneNumber}:release` }, token, ctx);
    if (isUnknown(res)) return res;
    if (res.ok) {
      const expireAt = (res.jsonOrUndefined() as ActiveNumber | undefined)?.expireAt;
      return { state: 'released', ...(expireAt ? { note: `Sinch keeps the number in the project until ${expireAt}` } : {}) };
    }
    if (notFound(res, 'ActiveNumber')) return { state: 'released', alreadyGone: true };
    if (res.status === 401) this.tokens.invalidate(token);
    const refused = refusal(res);
    return refused.state === 'failed' || refused.state === 'unknown' ? refused : unknown(`Sinch answered HTTP ${res.status}`);
  }

  /** GET is safe to repeat: a token refused as expired early is replaced once, as search does. */
  private async lookUp(phoneNumber: string, ctx: OrderCallContext): Promise<ProviderResponse | UnknownOrder> {
    let token = await this.token(ctx);
    if (typeof token !== 'string') return unknown(`no token: ${token.error.message}`);
    const url = `${this.project}/activeNumbers/${phoneNumber}`;
    let res = await this.call({ url }, token, ctx);
    if (!isUnknown(res) && res.status === 401) {
      this.tokens.invalidate(token);
      token = await this.token(ctx);
      if (typeof token !== 'string') return unknown(`no token: ${token.error.message}`);
      res = await this.call({ url }, token, ctx);
    }
    return res;
  }

  /** A token, or why there is none: nothing was sent, so a refusal is final for this call and a failure safe to retry. */
  private async token(ctx: OrderCallContext): Promise<string | FailedOrder> {
    try {
      return await this.tokens.get(ctx.signal);
    } catch (e) {
      if (!isProviderError(e)) throw e;
      if (e.kind === 'auth_failed') return failed(SINCH, 'auth_failed', `Sinch refused the key: ${e.message}`, { providerCode: e.providerCode });
      if (e.kind === 'rate_limited') return failed(SINCH, 'rate_limited', `Sinch: ${e.message}`, { retryAfterSeconds: e.retryAfterSeconds });
      return failed(SINCH, 'carrier_error', `no Sinch access token, nothing was sent: ${e.message}`);
    }
  }

  private call(req: Omit<ProviderRequest, 'signal' | 'headers'>, token: string, ctx: OrderCallContext): Promise<ProviderResponse | UnknownOrder> {
    return sendCall(this.http, { ...req, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: ctx.signal }, SINCH);
  }
}

function envelopeOf(res: ProviderResponse): NonNullable<SinchErrorBody['error']> | undefined {
  const body = res.jsonOrUndefined() as SinchErrorBody | undefined;
  return typeof body?.error === 'object' && body.error !== null ? body.error : undefined;
}

/** 404 NOT_FOUND naming this kind of resource (AvailableNumber, ActiveNumber) in its ResourceInfo detail. */
function notFound(res: ProviderResponse, resourceType: string): boolean {
  if (res.status !== 404) return false;
  const details = envelopeOf(res)?.details;
  return Array.isArray(details) && details.some((d) => (d as { resourceType?: unknown } | null)?.resourceType === resourceType);
}

function refusal(res: ProviderResponse): CarrierOrderState {
  const error = envelopeOf(res);
  const code = error?.code !== undefined ? String(error.code) : undefined;
  const byStatus = byHttpStatus(res, SINCH, code);
  if (byStatus) return byStatus;
  if (!error) return unknown(`Sinch answered HTTP ${res.status} with a body that is not its error format`);
  const status = typeof error.status === 'string' ? error.status : undefined;
  const message = `Sinch: ${[status, error.message].filter(Boolean).join(': ') || `HTTP ${res.status}`}`;
  const providerCode = status ?? code;
  // The number is not (or no longer) available to rent: 404 with an AvailableNumber ResourceInfo (ordering.md §6).
  if (notFound(res, 'AvailableNumber')) return failed(SINCH, 'number_unavailable', message, { providerCode });
  if (res.status === 404) return failed(SINCH, 'invalid_request', message, { providerCode, fix: 'Check SINCH_PROJECT_ID: Sinch does not know the project.' });
  const text = String(error.message ?? '');
  if (/balance|fund|credit/i.test(text)) return failed(SINCH, 'insufficient_funds', message, { providerCode });
  if (/document/i.test(text)) return failed(SINCH, 'regulatory_requirements', message, { providerCode });
  // INVALID_ARGUMENT on a rent is most likely about the number (ordering.md §8, probable).
  if (status === 'INVALID_ARGUMENT') return failed(SINCH, 'invalid_number', message, { providerCode });
  return failed(SINCH, 'invalid_request', message, { providerCode });
}

export function createSinchOrdering(config: SinchConfig, deps: ProviderDeps): OrderingSetup {
  return { available: true, ordering: new SinchOrdering(config, deps.http) };
}
