import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import type { AppConfig } from '../config/app-config';
import { setupOpenApi } from '../docs/openapi';
import { AppError } from '../errors/app-error';
import { sendError } from '../errors/all-exceptions.filter';
import { ROOT_LOGGER } from '../logging/logging.module';
import { installRequestLogging } from '../logging/request-context';
import { genReqId, newTrackingId } from '../logging/tracking-id';
import { MetricsService } from '../metrics/metrics.service';
import type { ProviderDefinition } from '../providers/provider-definition';

/** Largest URL (path and query) the service reads; search URLs are well under 1 KiB. */
export const MAX_URL_BYTES = 8 * 1024;

/**
 * Builds the application on Fastify with everything a request meets before and after the handler: the
 * tracking id, the X-Tracking-Id header, the envelope for errors Fastify raises itself, the docs.
 */
export async function createApp(config: AppConfig<ProviderDefinition>, options: AppModuleOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), createAdapter(), {
    bufferLogs: true,
  });
  return configureApp(app);
}

export function createAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    genReqId,
    requestIdHeader: false,
    bodyLimit: 16 * 1024,
    routerOptions: { maxParamLength: 200 },
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Errors Fastify raises before routing (a URL that cannot be decoded) get the same envelope.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const id = request.id ?? newTrackingId();
      void reply.header('x-tracking-id', id);
      sendError(
        reply,
        id,
        new AppError('validation_error', 'The request URL could not be decoded.', {
          fix: 'Percent-encode the query string (e.g. with encodeURIComponent), e.g. /numbers/available?countryCode=US.',
        }),
      );
    },
  });
}

/** Everything around the module: logger, hooks, docs. Shared by main.ts and the tests' app builder. */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  installRequestLogging(fastify, app.get(ROOT_LOGGER));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-tracking-id', request.id);
    if ((request.raw.url?.length ?? 0) > MAX_URL_BYTES) {
      sendError(reply, request.id, new AppError('validation_error', `The request URL is longer than ${MAX_URL_BYTES} bytes.`, {
        fix: 'Send only countryCode, features, areaCode, phoneNumberType and limit; the URL of a search is under 1 KiB.',
      }));
      return;
    }
    done();
  });
  // While shutting down, answers to in-flight requests close their connection: otherwise a keep-alive
  // connection that becomes idle after close() started would hold the server open until its timeout.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: label values must stay few.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  setupOpenApi(app);
  await app.init();
  return app;
}
