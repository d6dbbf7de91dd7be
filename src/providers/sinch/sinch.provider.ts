import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import type { Feature, NumberType } from '../../domain/search-query';
import type { ProviderHttp, ProviderResponse } from '../http/provider-http-client';
import { ProviderError } from '../../domain/provider-error';
import type { NumberProvider, ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import type { ProviderDefinition } from '../provider-definition';
import { readSinchConfig, type SinchConfig } from './sinch.config';
import { sinchError } from './sinch.errors';
import { requestSinchToken } from './sinch.oauth';
import { createSinchOrdering } from './sinch.ordering';
import { SinchTokenCache } from './sinch.token';
import type { SinchAvailableNumber, SinchAvailableNumbersResponse, SinchCapability, SinchNumberType } from './sinch.types';
import { E164 } from '../../domain/e164';

/** `type` values (§5.2); Sinch has no national type. */
const TYPE: Partial<Record<NumberType, SinchNumberType>> = { local: 'LOCAL', mobile: 'MOBILE', toll_free: 'TOLL_FREE' };

/** `capabilities` knows SMS and VOICE only (§5.2, §8): MMS and fax can never be asked for or verified. */
const CAPABILITY: Partial<Record<Feature, SinchCapability>> = { sms: 'SMS', voice: 'VOICE' };
const FEATURE_OF: Readonly<Record<string, Feature>> = { SMS: 'sms', VOICE: 'voice' };

/** `size` has no documented default or maximum (§5.2); the engine asks for at most 50. */
const MAX_SIZE = 100;

export class SinchProvider implements NumberProvider {
  readonly name = 'sinch';
  private readonly url: string;
  private readonly tokens: SinchTokenCache;

  constructor(
    private readonly config: SinchConfig,
    private readonly http: ProviderHttp,
  ) {
    this.url = `${config.baseUrl}/v1/projects/${encodeURIComponent(config.projectId)}/availableNumbers`;
    this.tokens = new SinchTokenCache((signal) => requestSinchToken(http, config, signal));
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
  basicAuthEnv: ['SINCH_KEY_ID', 'SINCH_KEY_SECRET'],
  readConfig: readSinchConfig,
  create: (config, deps) => new SinchProvider(config, deps.http),
  createOrdering: createSinchOrdering,
};
