import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { AUTH_REALM } from '../auth/api-key.guard';
import { MAX_HEADER_BYTES, MAX_URL_BYTES } from '../errors/request-limits';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** Every response carries it; openapi.ts adds it to any response that does not list it. */
const tracking = { 'X-Tracking-Id': { $ref: '#/components/headers/TrackingId' } };
const rateLimitHeaders = {
  'X-RateLimit-Limit': { description: 'Searches allowed per window for this key (when a usage limit is set).', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Searches left in the current window.', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'Seconds until the current window ends.', schema: { type: 'integer' } },
};

/** Sent when the caller's Cache-Control: no-cache was not honoured (CACHE_BYPASS_CLIENTS does not name its client). */
const cacheBypassHeader = {
  'X-Cache-Bypass': {
    description:
      '"ignored" when the request sent Cache-Control: no-cache but its client may not bypass the cache (only the clients named in CACHE_BYPASS_CLIENTS may): the answer was served as if the header had not been sent. Absent otherwise.',
    schema: { type: 'string', enum: ['ignored'] },
  },
};

/** The 503 of USAGE_LIMIT_ON_REDIS_ERROR=closed, for every operation whose requests are counted. */
const usageUnavailable = (what: string) =>
  error(
    503,
    `Service Unavailable - usage_unavailable: the ${what} of this client cannot be counted now (the shared usage store, Redis, is unavailable) and the service is configured to refuse what it cannot count (USAGE_LIMIT_ON_REDIS_ERROR=closed).`,
    { 'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer' } } },
  );

const CLOSES = { Connection: { description: '"close" whenever the service closes the connection after the answer.', schema: { type: 'string', enum: ['close'] } } };

/** An error status with its envelope (ERROR_SCHEMA_STATUSES in openapi.ts defines the schema of each). */
const error = (status: number, description: string, headers: Record<string, object> = {}) =>
  ApiResponse({ status, description, headers: { ...tracking, ...headers }, schema: ref(`Error${status}`) });

const unauthorized = () =>
  error(401, 'Unauthorized - no key, a key that is not valid, or an Authorization and an X-API-Key header that disagree.', {
    'WWW-Authenticate': {
      description: `The challenge: Bearer realm="${AUTH_REALM}", with error="invalid_token" or "invalid_request" when a key was sent but could not be used.`,
      required: true,
      schema: { type: 'string' },
    },
  });
const forbidden = () => error(403, 'Forbidden - the client is not named in ORDER_CLIENTS, so it may neither order nor read orders.');

/** Answers any request can get before it reaches its operation: the request itself cannot be read. */
export function ApiRequestRefusals() {
  return applyDecorators(
    error(408, 'Request Timeout - the request was not received completely in time; the connection is closed.', CLOSES),
    error(413, 'Content Too Large - a request body or its chunk extensions are too large.'),
    error(414, `URI Too Long - the URL is longer than ${MAX_URL_BYTES / 1024} KiB.`),
    error(417, 'Expectation Failed - an Expect header other than 100-continue.'),
    error(431, `Request Header Fields Too Large - the request line and headers exceed ${MAX_HEADER_BYTES / 1024} KiB; the connection is closed.`, CLOSES),
  );
}

/** The responses of GET /numbers/available, as the contract lists them, and the ones HTTP adds. */
export function ApiSearchResponses() {
  return applyDecorators(
    ApiResponse({
      status: 200,
      description: 'Successful response',
      headers: {
        ...tracking,
        ...rateLimitHeaders,
        'X-Provider-Errors': {
          description: 'Present when some providers failed and others answered: name=kind pairs, e.g. "twilio=rate_limited, vonage=timeout".',
          schema: { type: 'string' },
        },
        'X-Cache': {
          description:
            'HIT, MISS or STALE: whether the answer came from the cache. STALE: at least one carrier\'s answer is past its freshness, served while it is refreshed (CACHE_STALE_SECONDS) or because that carrier could not be asked: overloaded, timed out, unavailable or paused (CACHE_STALE_IF_ERROR_SECONDS).',
          schema: { type: 'string' },
        },
        ...cacheBypassHeader,
      },
      schema: ref('AvailableNumbersResponse'),
    }),
    error(400, 'Bad Request - validation errors, invalid input; also a request that is not valid HTTP (the connection is then closed).', CLOSES),
    unauthorized(),
    error(402, 'Payment Required - usage limits exceeded', {
      'Retry-After': { description: "Seconds until the caller's usage window resets.", schema: { type: 'integer' } },
      ...rateLimitHeaders,
    }),
    error(500, 'Internal Server Error'),
    error(502, 'Bad Gateway - provider error', { ...rateLimitHeaders, ...cacheBypassHeader }),
    usageUnavailable('searches'),
    ApiRequestRefusals(),
  );
}

const orderRateLimitHeaders = {
  'X-RateLimit-Limit': { description: 'Orders allowed per window for this client (ORDER_LIMIT_REQUESTS).', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Orders left in the current window.', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'Seconds until the current window ends.', schema: { type: 'integer' } },
};

/** POST /numbers/orders: its header, body and every answer. */
export function ApiCreateOrder() {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description: '1 to 255 characters of [A-Za-z0-9_:-], unique per intended purchase, scoped to the client.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_:-]{1,255}$' },
    }),
    ApiBody({ required: true, schema: ref('OrderRequest') }),
    ApiResponse({
      status: 201,
      description: 'A new order, in the state it reached',
      headers: { ...tracking, Location: { description: 'The order: /numbers/orders/{id}', schema: { type: 'string' } }, ...orderRateLimitHeaders },
      schema: ref('Order'),
    }),
    ApiResponse({ status: 200, description: 'The order an earlier request with the same Idempotency-Key and body created', headers: tracking, schema: ref('Order') }),
    error(400, 'Bad Request - a missing or malformed Idempotency-Key, a body that is not a JSON object, an unknown property, a number that is not E.164, an unknown provider (error.details lists each); or a request that is not valid HTTP.', CLOSES),
    unauthorized(),
    error(402, 'Payment Required - the client placed its ORDER_LIMIT_REQUESTS orders for the window', {
      'Retry-After': { description: "Seconds until the client's order window resets.", schema: { type: 'integer' } },
      ...orderRateLimitHeaders,
    }),
    forbidden(),
    error(409, 'Conflict - idempotency_conflict: the Idempotency-Key was used with another body; number_not_offered: no recent search offered the number (from that provider).'),
    error(415, 'Unsupported Media Type - the body is not application/json.'),
    error(500, 'Internal Server Error'),
    usageUnavailable('orders'),
    ApiRequestRefusals(),
  );
}

/** GET /numbers/orders. */
export function ApiListOrders() {
  return applyDecorators(
    ApiQuery({ name: 'status', required: false, schema: ref('OrderStatus') }),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } }),
    ApiQuery({ name: 'cursor', required: false, description: 'The nextCursor of the previous page.', schema: { type: 'string' } }),
    ApiResponse({ status: 200, description: 'One page of orders, newest first', headers: tracking, schema: ref('OrderList') }),
    error(400, 'Bad Request - an unknown or repeated parameter, a status or limit out of range, a cursor this service did not give out.', CLOSES),
    unauthorized(),
    forbidden(),
    error(500, 'Internal Server Error'),
    ApiRequestRefusals(),
  );
}

/** GET /numbers/orders/{orderId}. */
export function ApiGetOrder() {
  return applyDecorators(
    ApiParam({ name: 'orderId', required: true, schema: { type: 'string' } }),
    ApiResponse({ status: 200, description: 'The order', headers: tracking, schema: ref('Order') }),
    unauthorized(),
    forbidden(),
    error(404, 'Not Found - no order of this client has this id (another client\'s order is not found either).'),
    error(500, 'Internal Server Error'),
    ApiRequestRefusals(),
  );
}
