import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { allowedMethods } from './allowed-methods';
import { AppError } from './app-error';

/** What a request with a body should send instead. */
export const JSON_BODY_FIX = 'Send a JSON object with Content-Type: application/json, e.g. {"phoneNumber":"+14155550123"}, as described at GET /openapi.json.';

/**
 * Nest and Fastify raise HttpExceptions of their own for requests that never reach a handler. Each is
 * mapped onto the contract's closed set of codes with a fix.
 */
export function fromHttpException(e: HttpException, request: FastifyRequest): AppError | undefined {
  const status = e.getStatus();
  const path = request.url.split('?')[0];
  if (status === HttpStatus.NOT_FOUND || status === HttpStatus.METHOD_NOT_ALLOWED) {
    // Nest answers every unrouted request with its not-found handler: a path that other methods serve
    // is a 405 naming them (RFC 9110 §15.5.6), not a 404.
    const allowed = allowedMethods(request.server, request.url);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const methods = allowed.join(', ');
      const use = allowed.find((m) => m !== 'HEAD') ?? allowed[0];
      return new AppError(
        'method_not_allowed',
        `${truncate(request.method, 20)} is not allowed on ${truncate(path)}; it allows ${methods}.`,
        { fix: `Use ${use} ${truncate(path)}; the API is described at GET /openapi.json.` },
        { allow: methods },
      );
    }
    return new AppError('not_found', `No route matches ${truncate(request.method, 20)} ${truncate(path)}.`, {
      fix: 'Search numbers with GET /numbers/available?countryCode=US; the API is described at GET /openapi.json.',
    });
  }
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
    return AppError.refusedRequest(
      413,
      `The request body is larger than this endpoint accepts: ${safeMessage(e)}.`,
      'Send a smaller body: an order is a JSON object of two short properties, and searches take no body at all.',
    );
  }
  if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
    return AppError.refusedRequest(415, `The request body is of a type this endpoint does not read: ${safeMessage(e)}.`, JSON_BODY_FIX);
  }
  if (status >= 400 && status < 500) {
    return new AppError('validation_error', `The request could not be read: ${safeMessage(e)}.`, {
      fix: request.method === 'GET' || request.method === 'HEAD' ? 'Send the request as described at GET /openapi.json: a search is a GET with query parameters only.' : JSON_BODY_FIX,
    });
  }
  return undefined;
}

function safeMessage(e: HttpException): string {
  return truncate(e.message.replace(/[^\x20-\x7e]/g, '?'), 120);
}

export function truncate(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
