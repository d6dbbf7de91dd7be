import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { searchOutcome, searchQuery, type SearchParams, type SearchResult } from './search';
import { assertTimeout, perform, type RequestOptions } from './transport';

/**
 * Default for `timeoutMs`: above the service's own deadline for a search (REQUEST_TIMEOUT_MS, 5 s by
 * default), after which it answers with what the carriers returned so far, so the client does not give up
 * on an answer that is on its way.
 */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface NumbersClientOptions {
  /** Where the service listens, e.g. `http://numbers-gateway.internal:3000`. */
  baseUrl: string;
  /** This service's key for numbers-gateway, sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Longest a call may take, headers and body; default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number | undefined;
  /** A fetch to use instead of the global one (a proxy agent, instrumentation). */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
}

export interface NumbersClient {
  /**
   * `GET /numbers/available`: numbers that can be bought now, from every carrier that serves the country.
   * Resolves to a result, never rejects for what the service or the network does.
   */
  searchAvailableNumbers(params: SearchParams, options?: RequestOptions): Promise<SearchResult>;
}

export function createNumbersClient(options: NumbersClientOptions): NumbersClient {
  const baseUrl = checkedBaseUrl(options.baseUrl);
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new TypeError('apiKey must be the key numbers-gateway issued to this service (it is empty)');
  }
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  assertTimeout(defaultTimeoutMs, 'timeoutMs');
  const http = createClient<paths>({
    baseUrl,
    headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
    // The service never redirects: a redirect means a wrong baseUrl, reported as an unexpected answer
    // instead of being followed with the key.
    redirect: 'manual',
    ...(options.fetch !== undefined && { fetch: options.fetch }),
  });

  return {
    searchAvailableNumbers: (params, call = {}) =>
      perform(
        (signal, onHeaders) =>
          http.GET('/numbers/available', {
            params: { query: searchQuery(params) },
            signal,
            middleware: [{ onResponse: ({ response }) => void onHeaders(response) }],
          }),
        call.timeoutMs ?? defaultTimeoutMs,
        call.signal,
        searchOutcome,
      ),
  };
}

function checkedBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL such as http://numbers-gateway:3000, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must use http or https, got "${url.protocol}"`);
  }
  return url.href.replace(/\/+$/, '');
}

export type { RequestOptions } from './transport';
export type { Result, ErrorFields } from './result';
export { NumbersClientError, unwrap } from './result';
export type {
  AvailableNumber,
  CountryCode,
  Feature,
  SearchError,
  SearchNumberType,
  SearchParams,
  SearchResult,
  SearchSuccess,
} from './search';
export type { CacheStatus, ProviderErrorNote, RateLimit } from './headers';
export type {
  AbortedError,
  DocumentedErrorCode,
  InternalError,
  NetworkError,
  NotFoundError,
  ProviderError,
  ProviderFailure,
  ServiceError,
  TimeoutError,
  TransportError,
  UnauthorizedError,
  UnexpectedResponseError,
  UsageLimitExceededError,
  ValidationDetail,
  ValidationError,
} from './errors';
export type { components, operations, paths } from './schema';
