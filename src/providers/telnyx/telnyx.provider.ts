import type { Feature, NumberType } from '../../domain/search-query';
import type { ProviderHttp } from '../http/provider-http-client';
import { ProviderError } from '../../domain/provider-error';
import type { ProviderNumber, NumberProvider, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import type { ProviderDefinition } from '../provider-definition';
import { readTelnyxConfig, type TelnyxConfig } from './telnyx.config';
import { telnyxError } from './telnyx.errors';
import { createTelnyxOrdering } from './telnyx.ordering';
import type { TelnyxAvailableNumber, TelnyxRegion, TelnyxSearchResponse } from './telnyx.types';
import { E164 } from '../../domain/e164';

/** No maximum is documented (§1.7 quirk 5), so the adapter caps what it asks for. */
const MAX_LIMIT = 100;

const FEATURES: ReadonlySet<string> = new Set<Feature>(['sms', 'mms', 'voice', 'fax']);

/** E.164 with '+': Telnyx sends phone_number in this form (§1.4); anything else is a malformed item. */

/** Telnyx's phone_number_type values are ours (§1.2: local, toll_free, mobile, national). */
const TYPE: Record<NumberType, string> = { local: 'local', toll_free: 'toll_free', mobile: 'mobile', national: 'national' };

export class TelnyxProvider implements NumberProvider {
  readonly name = 'telnyx';

  constructor(
    private readonly config: TelnyxConfig,
    private readonly http: ProviderHttp,
  ) {}

  supports(_query: SearchQuery): boolean {
    // Telnyx searches every country and type it has inventory for; an empty answer is not a failure.
    return true;
  }

  async search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    const res = await this.http.request({
      url: `${this.config.baseUrl}/v2/available_phone_numbers`,
      query: telnyxQuery(query),
      headers: { authorization: `Bearer ${this.config.apiKey}`, accept: 'application/json' },
      signal: ctx.signal,
    });
    if (!res.ok) throw telnyxError(res);
    const body = res.json() as TelnyxSearchResponse;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.data)) {
      throw new ProviderError({ provider: this.name, kind: 'bad_response', httpStatus: res.status, message: 'answered without a data array' });
    }
    // One malformed item is skipped, not fatal: the others are still good numbers.
    return body.data.flatMap((item) => toNumber(item));
  }
}

/**
 * Every filter sits under filter[...] (deepObject, §1.2): an unwrapped parameter is silently ignored by
 * Telnyx and returns unrelated numbers (§1.3). URLSearchParams percent-encodes the brackets, exactly as
 * the official SDK sends them; features go comma-joined, the SDK's array form.
 */
export function telnyxQuery(query: SearchQuery): URLSearchParams {
  const q = new URLSearchParams();
  q.set('filter[country_code]', query.countryCode);
  if (query.areaCode) q.set('filter[national_destination_code]', query.areaCode);
  q.set('filter[phone_number_type]', TYPE[query.phoneNumberType]);
  if (query.features.length > 0) q.set('filter[features]', query.features.join(','));
  q.set('filter[limit]', String(Math.min(query.limit, MAX_LIMIT)));
  // The default of best_effort is unverified (§1.7 quirk 1): ask for exact matches explicitly.
  q.set('filter[best_effort]', 'false');
  return q;
}

function toNumber(item: TelnyxAvailableNumber): ProviderNumber[] {
  if (typeof item !== 'object' || item === null || typeof item.phone_number !== 'string') return [];
  const phoneNumber = item.phone_number.trim();
  if (!E164.test(phoneNumber)) return [];
  // best_effort items do not match the search (e.g. another area code): dropped even though we asked
  // for none, since the flag's behaviour is unverified (§1.7 quirk 1).
  if (item.best_effort === true) return [];
  const regions = Array.isArray(item.region_information) ? item.region_information : [];
  const region = (type: string) => regionName(regions, type);
  const features = (Array.isArray(item.features) ? item.features : [])
    .map((f) => (typeof f?.name === 'string' ? f.name.toLowerCase() : ''))
    .filter((f): f is Feature => FEATURES.has(f));
  return [
    {
      phoneNumber,
      // No locality field (§1.4): `location` is a place name; `rate_center` is a code ("SNFC CNTRL") that no
      // caller can read, so it is handed over as such and the engine derives the place (src/places/).
      locality: region('location'),
      administrativeArea: region('state'),
      rateCenter: region('rate_center'),
      features,
    },
  ];
}

function regionName(regions: TelnyxRegion[], type: string): string | undefined {
  const found = regions.find((r) => r?.region_type === type && typeof r.region_name === 'string' && r.region_name.trim() !== '');
  return found?.region_name?.trim();
}

export const telnyxProvider: ProviderDefinition<TelnyxConfig> = {
  name: 'telnyx',
  secretEnv: ['TELNYX_API_KEY'],
  readConfig: readTelnyxConfig,
  create: (config, deps) => new TelnyxProvider(config, deps.http),
  createOrdering: createTelnyxOrdering,
};
