import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { TRACKING_ID_HEADER } from './schemas';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const tracking = { 'X-Tracking-Id': TRACKING_ID_HEADER };
const rateLimitHeaders = {
  'X-RateLimit-Limit': { description: 'Searches allowed per window for this key (when a usage limit is set).', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Searches left in the current window.', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'Seconds until the current window ends.', schema: { type: 'integer' } },
};

/** The responses of GET /numbers/available, as the contract lists them. */
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
    ApiResponse({ status: 400, description: 'Bad Request - validation errors, invalid input', headers: tracking, schema: ref('ErrorResponse') }),
    ApiResponse({ status: 401, description: 'Unauthorized', headers: tracking, schema: ref('ErrorResponse') }),
    ApiResponse({
      status: 402,
      description: 'Payment Required - usage limits exceeded',
      headers: {
        ...tracking,
        'Retry-After': { description: "Seconds until the caller's usage window resets.", schema: { type: 'integer' } },
        ...rateLimitHeaders,
      },
      schema: ref('ErrorResponse'),
    }),
    ApiResponse({ status: 404, description: 'Not Found - unknown route', headers: tracking, schema: ref('ErrorResponse') }),
    ApiResponse({ status: 500, description: 'Internal Server Error', headers: tracking, schema: ref('ErrorResponse') }),
    ApiResponse({ status: 502, description: 'Bad Gateway - provider error', headers: { ...tracking, ...rateLimitHeaders }, schema: ref('ErrorResponse') }),
  );
}
