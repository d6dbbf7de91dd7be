/**
 * Span attribute names. Where a semantic convention exists, its name
 * (opentelemetry.io/docs/specs/semconv: HTTP spans and database spans, stable names), so any tracing backend
 * shows them as it shows every other service's; the rest are the service's own, under `numbers.` (the search)
 * and `carrier.` (one carrier's call).
 */
export const HTTP_REQUEST_METHOD = 'http.request.method';
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const HTTP_ROUTE = 'http.route';
export const URL_PATH = 'url.path';
export const URL_QUERY = 'url.query';
export const URL_SCHEME = 'url.scheme';
export const URL_FULL = 'url.full';
export const SERVER_ADDRESS = 'server.address';
export const SERVER_PORT = 'server.port';
export const CLIENT_ADDRESS = 'client.address';
export const USER_AGENT = 'user_agent.original';
export const NETWORK_PROTOCOL_VERSION = 'network.protocol.version';
/** The error's class: a ProviderError kind, an HTTP status, a Redis error's name. */
export const ERROR_TYPE = 'error.type';

export const DB_SYSTEM_NAME = 'db.system.name';
export const DB_OPERATION_NAME = 'db.operation.name';
export const DB_QUERY_SUMMARY = 'db.query.summary';
export const DB_QUERY_TEXT = 'db.query.text';

/** The X-Tracking-Id of the request: the id in its error envelope and log lines. */
export const NUMBERS_TRACKING_ID = 'numbers.tracking_id';
/** The authenticated client (the name before the colon in API_KEYS). */
export const NUMBERS_CLIENT = 'numbers.client';
/** The X-Cache of the answer: HIT, MISS or STALE. */
export const NUMBERS_CACHE = 'numbers.cache';

export const CARRIER_NAME = 'carrier.name';
/** Where this carrier's answer came from: HIT, MISS or STALE (the answer cache). */
export const CARRIER_CACHE = 'carrier.cache';
/** Numbers the carrier's answer held (before the exact filter). */
export const CARRIER_NUMBER_COUNT = 'carrier.number_count';
/** Attempts made in this call (0: the answer came from the cache or from another search's call). */
export const CARRIER_ATTEMPTS = 'carrier.attempts';
/** Retries after the first attempt. */
export const CARRIER_RETRY_COUNT = 'carrier.retry_count';
/** Which attempt an attempt span is (1 is the first call, 2 the first retry). */
export const CARRIER_ATTEMPT = 'carrier.attempt';
/** The ProviderError kind of a failed call (also its error.type). */
export const CARRIER_ERROR_KIND = 'carrier.error_kind';
/** The carrier's own error code, when it sent one. */
export const CARRIER_PROVIDER_CODE = 'carrier.provider_code';
