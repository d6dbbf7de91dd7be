import type { Feature, NumberType } from '../../domain/search-query';
import type { ProviderHttp } from '../http/provider-http-client';
import { ProviderError } from '../../domain/provider-error';
import type { ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import { twilioCompatibleError } from './twilio.errors';
import type { TwilioAvailableNumber, TwilioSearchResponse } from './twilio.types';
import { E164 } from '../../domain/e164';

/** The type sub-resources of the AvailablePhoneNumbers API (§2.1). */
export const TWILIO_TYPE_PATH: Record<NumberType, string> = {
  local: 'Local',
  toll_free: 'TollFree',
  mobile: 'Mobile',
  national: 'National',
};

/** Twilio answers at most about 30 numbers and never pages (§2.5 quirk 2). */
export const TWILIO_PAGE_CAP = 30;

/** E.164 with '+', as `phone_number` is documented (§2.3); anything else is a malformed item. */

const CAPABILITY_FILTER: Record<Feature, string> = {
  sms: 'SmsEnabled',
  mms: 'MmsEnabled',
  voice: 'VoiceEnabled',
  fax: 'FaxEnabled',
};

export interface TwilioCompatibleApi {
  provider: string;
  /** Full URL of the type sub-resource for a country. */
  url(countryCode: string, type: NumberType): string;
  authorization: string;
  /**
   * Twilio filters on SmsEnabled & co.; SignalWire accepts the flags but ignores them (vonage-…-sinch.md
   * §4.1), so for it they are not sent and the adapter keeps only numbers whose returned capabilities
   * include every requested feature.
   */
  honoursCapabilityFilters: boolean;
  /** How many numbers to ask for (more than `limit` where the engine will filter some out). */
  pageSize(query: SearchQuery): number;
}

/**
 * One search against a Twilio-style AvailablePhoneNumbers resource (Twilio, SignalWire's compatibility
 * API): the same query parameters, answer and error format, differing only in base URL and quirks.
 */
export async function searchTwilioCompatible(
  api: TwilioCompatibleApi,
  http: ProviderHttp,
  query: SearchQuery,
  ctx: SearchContext,
): Promise<ProviderNumber[]> {
  const q = new URLSearchParams();
  // AreaCode applies to the US and Canada only (§2.2); elsewhere the engine filters by prefix.
  if (query.areaCode && (query.countryCode === 'US' || query.countryCode === 'CA')) q.set('AreaCode', query.areaCode);
  if (api.honoursCapabilityFilters) {
    // Only `true` filters: `false` does not exclude (§2.5 quirk 3).
    for (const f of query.features) q.set(CAPABILITY_FILTER[f], 'true');
  }
  q.set('PageSize', String(api.pageSize(query)));
  const res = await http.request({
    url: api.url(query.countryCode, query.phoneNumberType),
    query: q,
    headers: { authorization: api.authorization, accept: 'application/json' },
    signal: ctx.signal,
  });
  if (res.status === 404) {
    const error = twilioCompatibleError(api.provider, res);
    // 20404: the country does not offer this type (e.g. US Mobile.json): no numbers, not a failure (§2.5 quirk 4).
    if (error.providerCode === '20404') return [];
    throw error;
  }
  if (!res.ok) throw twilioCompatibleError(api.provider, res);
  const body = res.json() as TwilioSearchResponse;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.available_phone_numbers)) {
    throw new ProviderError({ provider: api.provider, kind: 'bad_response', httpStatus: res.status, message: 'answered without available_phone_numbers' });
  }
  // One malformed item is skipped, not fatal: the others are still good numbers.
  const numbers = body.available_phone_numbers.flatMap(toNumber);
  if (api.honoursCapabilityFilters) return numbers;
  // The carrier ignored the capability filters: filter here, then give back what was asked for.
  return numbers.filter((n) => query.features.every((f) => n.features.includes(f))).slice(0, query.limit);
}

function toNumber(item: TwilioAvailableNumber): ProviderNumber[] {
  if (typeof item !== 'object' || item === null || typeof item.phone_number !== 'string') return [];
  const phoneNumber = item.phone_number.trim();
  if (!E164.test(phoneNumber)) return [];
  return [
    {
      phoneNumber,
      locality: text(item.locality),
      administrativeArea: text(item.region),
      rateCenter: text(item.rate_center),
      features: capabilities(item.capabilities),
    },
  ];
}

/** Keys read case-insensitively: the live API sends `voice`, `SMS`, `MMS` (§2.5 quirk 1). */
function capabilities(caps: TwilioAvailableNumber['capabilities']): Feature[] {
  if (typeof caps !== 'object' || caps === null) return [];
  const out: Feature[] = [];
  for (const [key, value] of Object.entries(caps)) {
    const k = key.toLowerCase();
    if (value === true && (k === 'sms' || k === 'mms' || k === 'voice' || k === 'fax')) out.push(k);
  }
  return out;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
