import { unexpectedResponse, type TransportError } from './errors';
import { cacheStatusOf, providerErrorsOf, rateLimitOf, trackingIdOf, type CacheStatus, type ProviderErrorNote, type RateLimit } from './headers';
import { defineOperation, errorOutcome, type DocumentedErrorOf } from './operations';
import type { Result } from './result';
import type { components, operations } from './schema';
import type { Answer } from './transport';

export const SEARCH = defineOperation('searchAvailableNumbers', {
  400: true,
  401: true,
  402: true,
  408: true,
  413: true,
  414: true,
  417: true,
  431: true,
  500: true,
  502: true,
  503: true,
});

type WireQuery = operations['searchAvailableNumbers']['parameters']['query'];

/** One number offered by a carrier, in E.164, with every filter of the search satisfied. */
export type AvailableNumber = components['schemas']['AvailableNumber'];
/** A capability a number can have. */
export type Feature = NonNullable<AvailableNumber['features']>[number];
/** The number types a search can ask for. */
export type SearchNumberType = NonNullable<WireQuery['phoneNumberType']>;
/** ISO 3166-1 alpha-2 country code; the codes the document lists when it lists them. */
export type CountryCode = WireQuery['countryCode'];

export interface SearchParams {
  countryCode: CountryCode;
  /** Digits of the area code / national destination code, e.g. `415`. */
  areaCode?: string | undefined;
  /** Every returned number has all of them. */
  features?: readonly Feature[] | undefined;
  /** Default `local`. */
  phoneNumberType?: SearchNumberType | undefined;
  /** 1 to 50, default 10. */
  limit?: number | undefined;
}

export interface SearchSuccess {
  readonly numbers: AvailableNumber[];
  readonly trackingId: string;
  /** Whether the answer came from the service's cache. */
  readonly cache?: CacheStatus;
  /** Present on a partial answer: the carriers that failed while others answered. */
  readonly providerErrors?: ProviderErrorNote[];
  /** Present when the service has a usage limit set. */
  readonly rateLimit?: RateLimit;
}

/** Every way a search can fail: the errors the document lists for it, and the transport ones. */
export type SearchError = DocumentedErrorOf<'searchAvailableNumbers'> | TransportError;
export type SearchResult = Result<SearchSuccess, SearchError>;

/** The query string the service reads: features comma-separated, absent values left out. */
export function searchQuery(params: SearchParams): WireQuery {
  return {
    countryCode: params.countryCode,
    ...(params.areaCode !== undefined && { areaCode: params.areaCode }),
    ...(params.features !== undefined && params.features.length > 0 && { features: params.features.join(',') }),
    ...(params.phoneNumberType !== undefined && { phoneNumberType: params.phoneNumberType }),
    ...(params.limit !== undefined && { limit: params.limit }),
  };
}

/** The result of a search's answer: the numbers with what the headers say about them, or the error. */
export function searchOutcome(answer: Answer): SearchResult {
  const { response } = answer;
  if (response.status !== 200) return errorOutcome(SEARCH, answer);
  const trackingId = trackingIdOf(response.headers);
  if (trackingId === undefined) {
    return { ok: false, error: unexpectedResponse(response, answer.data, 'no X-Tracking-Id header: check that baseUrl is the numbers-gateway') };
  }
  const data = answer.data as { numbers?: unknown } | undefined;
  if (!Array.isArray(data?.numbers)) {
    return { ok: false, error: unexpectedResponse(response, answer.data, 'the body has no numbers array') };
  }
  const cache = cacheStatusOf(response.headers);
  const providerErrors = providerErrorsOf(response.headers);
  const rateLimit = rateLimitOf(response.headers);
  return {
    ok: true,
    value: {
      numbers: data.numbers as AvailableNumber[],
      trackingId,
      ...(cache !== undefined && { cache }),
      ...(providerErrors !== undefined && { providerErrors }),
      ...(rateLimit !== undefined && { rateLimit }),
    },
  };
}
