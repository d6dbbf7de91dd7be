import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
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

const CLOSES = { Connection: { description: '"close" whenever the service closes the connection after the answer.', schema: { type: 'string', enum: ['close'] } } };

/** An error status with its envelope (ERROR_SCHEMA_STATUSES in openapi.ts defines the schema of each). */
const error = (status: number, description: string, headers: Record<string, object> = {}) =>
  ApiResponse({ status, description, headers: { ...tracking, ...headers }, schema: ref(`Error${status}`) });

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
        'X-Cache': { description: 'HIT, MISS or STALE: whether the answer came from the cache.', schema: { type: 'string' } },
      },
      schema: ref('AvailableNumbersResponse'),
    }),
    error(400, 'Bad Request - validation errors, invalid input; also a request that is not valid HTTP (the connection is then closed).', CLOSES),
    error(401, 'Unauthorized - no key, a key that is not valid, or an Authorization and an X-API-Key header that disagree.', {
      'WWW-Authenticate': {
        description: `The challenge: Bearer realm="${AUTH_REALM}", with error="invalid_token" or "invalid_request" when a key was sent but could not be used.`,
        required: true,
        schema: { type: 'string' },
      },
    }),
    error(402, 'Payment Required - usage limits exceeded', {
      'Retry-After': { description: "Seconds until the caller's usage window resets.", schema: { type: 'integer' } },
      ...rateLimitHeaders,
    }),
    error(500, 'Internal Server Error'),
    error(502, 'Bad Gateway - provider error', rateLimitHeaders),
    ApiRequestRefusals(),
  );
}
