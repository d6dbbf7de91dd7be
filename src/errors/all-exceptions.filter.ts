import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error';
import { fromHttpException } from './http-exception.mapping';
import { sendError } from './send-error';

/**
 * The one place that writes error bodies. AppErrors are sent as they are; Nest's own HttpExceptions
 * (unknown route, unsupported method, body parser errors) are mapped to the contract's codes; anything
 * else is a bug: logged once with its stack, answered as internal_error with nothing but the tracking id.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toAppError(exception, request);
    sendError(reply, request.id, error);
  }

  private toAppError(exception: unknown, request: FastifyRequest): AppError {
    if (exception instanceof AppError) return exception;
    if (exception instanceof HttpException) {
      const mapped = fromHttpException(exception, request);
      if (mapped) return mapped;
    }
    this.logger.error(
      { err: exception, trackingId: request.id, method: request.method, path: request.url.split('?')[0] },
      'unhandled exception',
    );
    return AppError.unexpected();
  }
}
