import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error';

/**
 * Nest and Fastify raise HttpExceptions of their own for requests that never reach a handler. Each is
 * mapped onto the contract's closed set of codes with a fix.
 */
export function fromHttpException(e: HttpException, request: FastifyRequest): AppError | undefined {
  const status = e.getStatus();
  const path = request.url.split('?')[0];
  if (status === HttpStatus.NOT_FOUND) {
    return new AppError('not_found', `No route matches ${request.method} ${truncate(path)}.`, {
      fix: 'Search numbers with GET /numbers/available?countryCode=US; the API is described at GET /openapi.json.',
    });
  }
  if (status === HttpStatus.METHOD_NOT_ALLOWED) {
    return new AppError('not_found', `${request.method} is not supported on ${truncate(path)}.`, {
      fix: 'Use GET; the API is described at GET /openapi.json.',
    });
  }
  if (status >= 400 && status < 500) {
    return new AppError('validation_error', `The request could not be read: ${safeMessage(e)}.`, {
      fix: 'Send a GET request with query parameters only, as described at GET /openapi.json.',
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
