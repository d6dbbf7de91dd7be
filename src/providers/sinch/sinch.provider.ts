import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import type { Feature, NumberType } from '../../domain/search-query';
import { basicAuth } from '../http/basic-auth';
import type { ProviderHttp, ProviderResponse } from '../http/provider-http-client';
import { isProviderError, ProviderError } from '../../domain/provider-error';
import type { NumberProvider, ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import type { ProviderDefinition } from '../provider-definition';
import { readSinchConfig, type SinchConfig } from './sinch.config';
import { sinchError, sinchTokenError } from './sinch.errors';
import { SinchTokenCache, type IssuedToken } from './sinch.token';
import type { SinchAvailableNumber, SinchAvailableNumbersResponse, SinchCapability, SinchNumberType, SinchTokenResponse } from './sinch.types';
import { E164 } from '../../domain/e164';

/** `type` values (§5.2); Sinch has no national type. */
const TYPE: Partial<Record<NumberType, SinchNumberType>> = { local: 'LOCAL', mobile: 'MOBILE', toll_free: 'TOLL_FREE' };

/** `capabilities` knows SMS and VOICE only (§5.2, §8): MMS and fax can never be asked for or verified. */
const CAPABILITY: Partial<Record<Feature, SinchCapability>> = { sms: 'SMS', voice: 'VOICE' };
const FEATURE_OF: Readonly<Record<string, Feature>> = { SMS: 'sms', VOICE: 'voice' };

/** `size` has no documented default or maximum (§5.2); the engine asks for at most 50. */
const MAX_SIZE = 100;

/** When the token answer says nothing about its lifetime: short, and a 401 refreshes it anyway. */
const DEFAULT_TOKEN_LIFETIME_MS = 5 * 60_000;


export class SinchProvider implements NumberProvider {
  readonly name = 'sinch';
  private readonly url: string;
  private readonly tokens: SinchTokenCache;

  constructor(
    private readonly config: SinchConfig,
    private readonly http: ProviderHttp,
  ) {
    this.url = `${config.baseUrl}/v1/projects/${encodeURIComponent(config.projectId)}/availableNumbers`;
    this.tokens = new SinchTokenCache((signal) => this.requestToken(signal));
  }

  supports(query: SearchQuery): boolean {
    return (
      TYPE[query.phoneNumberType] !== undefined &&
      query.features.every((f) => CAPABILITY[f] !== undefined) &&
      callingCode(query.countryCode) !== undefined
    );
  }

  async search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    if (!this.supports(query)) return []; // the engine never gets here
    const params = sinchQuery(query);
    let token = await this.tokens.get(ctx.signal);
    let res = await this.ask(params, token, ctx.signal);
    if (res.status === 401) {
      // The token expired early or was revoked: one fresh token, one more try; a second 401 is final.
      this.tokens.invalidate(token);
      token = await this.tokens.get(ctx.signal);
      res = await this.ask(params, token, ctx.signal);
    }
    if (!res.ok) throw sinchError(res);
    return readNumbers(res);
  }

  private ask(params: URLSearchParams, token: string, signal: AbortSignal): Promise<ProviderResponse> {
    return this.http.request({
      url: this.url,
      query: params,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal,
    });
  }

  /** OAuth2 client credentials (§5.1, [S-NODE-OAUTH]): Basic keyId:keySecret, form grant_type. */
  private async requestToken(signal: AbortSignal): Promise<IssuedToken> {
    const res = await this.http.request({
      method: 'POST',
      url: `${this.config.authUrl}/oauth2/token`,
      headers: { authorization: basicAuth(this.config.keyId, this.config.keySecret), accept: 'application/json' },
      form: new URLSearchParams({ grant_type: 'client_credentials' }),
      signal,
    });
    if (!res.ok) throw sinchTokenError(res);
    let body: SinchTokenResponse;
    try {
      body = res.json() as SinchTokenResponse;
    } catch (e) {
      throw isProviderError(e) ? tokenBadResponse(res, e.message) : e;
    }
    if (typeof body !== 'object' || body === null || typeof body.access_token !== 'string' || body.access_token.trim() === '') {
      throw tokenBadResponse(res, 'answered without an access_token');
    }
    if (body.token_type !== undefined && String(body.token_type).toLowerCase() !== 'bearer') {
      throw tokenBadResponse(res, 'answered a token that is not a bearer token');
    }
    return { value: body.access_token.trim(), lifetimeMs: lifetimeMs(body) };
  }
}

function tokenBadResponse(res: ProviderResponse, message: string): ProviderError {
  return new ProviderError({ provider: 'sinch', kind: 'bad_response', httpStatus: res.status, message: `token request ${message}` });
}

/** expires_in, else the JWT's exp claim (what Sinch's SDK reads), else a short default. */
function lifetimeMs(body: SinchTokenResponse, now = Date.now()): number {
  if (typeof body.expires_in === 'number' && Number.isFinite(body.expires_in) && body.expires_in > 0) return body.expires_in * 1000;
  const parts = body.access_token!.split('.');
  if (parts.length === 3) {
    try {
      const exp = (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown }).exp;
      if (typeof exp === 'number' && exp * 1000 > now) return exp * 1000 - now;
    } catch {
      // Not a JWT: fall through.
    }
  }
  return DEFAULT_TOKEN_LIFETIME_MS;
}

function callingCode(country: string): string | undefined {
  try {
    return getCountryCallingCode(country as CountryCode);
  } catch {
    return undefined;
  }
}

/**
 * The wire query (§5.2, §8):
 * - `regionCode` and `type` are both required (§5.5 quirk 3);
 * - the area code goes through the number pattern, which with START must hold '+' and the country code,
 *   URL-encoded: `numberPattern.pattern=%2B1415&numberPattern.searchPattern=START` (§5.5 quirk 4);
 * - `capabilities` is a repeated key, not a CSV (§5.5 quirk 2); several are ANDed (§5.2);
 * - `size` asks for the limit.
 */
export function sinchQuery(query: SearchQuery): URLSearchParams {
  const q = new URLSearchParams();
  q.set('regionCode', query.countryCode);
  q.set('type', TYPE[query.phoneNumberType] ?? 'LOCAL');
  if (query.areaCode) {
    q.set('numberPattern.pattern', `+${callingCode(query.countryCode) ?? ''}${query.areaCode}`);
    q.set('numberPattern.searchPattern', 'START');
  }
  for (const f of query.features) {
    const capability = CAPABILITY[f];
    if (capability) q.append('capabilities', capability);
  }
  q.set('size', String(Math.min(Math.max(1, query.limit), MAX_SIZE)));
  return q;
}

/**
 * `{"availableNumbers": [...]}`, or `{}` when nothing matched (nulls are omitted, §5.3). An object that
 * has other keys but no `availableNumbers` is not an answer we understand: bad_response.
 */
function readNumbers(res: ProviderResponse): ProviderNumber[] {
  const body = res.json() as SinchAvailableNumbersResponse;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProviderError({ provider: 'sinch', kind: 'bad_response', httpStatus: res.status, message: 'answered with something other than a JSON object' });
  }
  if (body.availableNumbers === undefined && Object.keys(body).length === 0) return [];
  if (!Array.isArray(body.availableNumbers)) {
    throw new ProviderError({ provider: 'sinch', kind: 'bad_response', httpStatus: res.status, message: 'answered without an availableNumbers array' });
  }
  // One malformed item is skipped, not fatal.
  return body.availableNumbers.flatMap((item) => toNumber(item));
}

function toNumber(item: SinchAvailableNumber): ProviderNumber[] {
  if (typeof item !== 'object' || item === null || typeof item.phoneNumber !== 'string') return [];
  const phoneNumber = item.phoneNumber.trim();
  if (!E164.test(phoneNumber)) return [];
  // `capability` is singular (§5.5 quirk 1); there is no locality or region field (§5.3).
  const features = (Array.isArray(item.capability) ? item.capability : [])
    .map((c) => (typeof c === 'string' ? FEATURE_OF[c.toUpperCase()] : undefined))
    .filter((f): f is Feature => f !== undefined);
  return [{ phoneNumber, features: [...new Set(features)] }];
}

export const sinchProvider: ProviderDefinition<SinchConfig> = {
  name: 'sinch',
  secretEnv: ['SINCH_KEY_SECRET'],
  readConfig: readSinchConfig,
  create: (config, deps) => new SinchProvider(config, deps.http),
};
