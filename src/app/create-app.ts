import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { setupOpenApi } from '../docs/openapi';
import { answerClientError, answerConnect, answerUnknownExpectation } from '../errors/client-errors';
import { answerFrameworkError } from '../errors/framework-errors';
import { logRefusalsTo } from '../errors/refusal-log';
import { headProblem } from '../errors/request-head-checks';
import { HEAD_TIMEOUT_CHECK_MS, HEAD_TIMEOUT_MS, MAX_HEADER_BYTES } from '../errors/request-limits';
import { sendError } from '../errors/send-error';
import { genReqId } from '../errors/tracking-id';
import { ROOT_LOGGER, SERVICE_NAME } from '../logging/logging.module';
import { installRequestLogging } from '../logging/request-context';
import { ManagementListener } from '../management/management-listener';
import { MetricsService } from '../metrics/metrics.service';
import { installSearchFastPath, SearchFastPath } from '../numbers/search-fast-path';
import { SEARCH_ROUTE } from '../numbers/search-answer';
import type { ProviderDefinition } from '../providers/provider-definition';
import { PROVIDER_NAMES } from '../providers/registry';
import { SecretScrubber } from '../secrets/secret-scrubber';
import { installRequestTracing, requestTraceLogFields } from '../tracing/request-spans';

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
    // Every answer the server writes itself carries the envelope and a tracking id: bytes Node's parser
    // refuses (clientErrorHandler), routing errors (frameworkErrors), and an HTTP/1.1 request without
    // Host, which Node would otherwise answer bare (requireHostHeader; checked in headProblem instead).
    clientErrorHandler: answerClientError,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => answerFrameworkError(error, request, reply),
    http: { maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false, headersTimeout: HEAD_TIMEOUT_MS, connectionsCheckingInterval: HEAD_TIMEOUT_CHECK_MS },
  });
}

/** Everything around the module: logger, hooks, docs. Shared by main.ts and the tests' app builder. */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  const tracing = app.get<AppConfig>(APP_CONFIG).tracing !== undefined;
  installRequestLogging(fastify, app.get(ROOT_LOGGER), app.get(SecretScrubber), SERVICE_NAME, tracing ? requestTraceLogFields : undefined);
  // After the logging context and before every hook that may answer early: every answer has its span.
  if (tracing) installRequestTracing(fastify);
  logRefusalsTo(fastify, app.get(ROOT_LOGGER));
  // With a listener, Node hands these to it instead of answering a bare 417 / dropping the connection.
  fastify.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => answerUnknownExpectation(fastify, request, response));
  fastify.server.on('connect', (request: IncomingMessage, socket: Socket) => answerConnect(fastify, request, socket));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-tracking-id', request.id);
    const problem = headProblem(request);
    if (problem) {
      sendError(reply, request.id, problem);
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
  installScrubbing(fastify, app.get(SecretScrubber));
  managementListeners.set(app, new ManagementListener(fastify, app.get<AppConfig>(APP_CONFIG).management));
  // The last onRequest hook (after the request checks and the management listener's split of routes): a
  // repeated search already accepted by the full pipeline is answered from memory.
  installSearchFastPath(fastify, app.get(SearchFastPath));
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: label values must stay few.
    metrics.requestAnswered(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  setupOpenApi(app, { providers: PROVIDER_NAMES });
  await app.init();
  return app;
}

/**
 * Every text sent to a caller passes the secret scrubber, whoever wrote it: error bodies (a carrier's
 * message in a 502, validation details), header values (X-Provider-Errors), health and metrics bodies.
 * The search's 200 answers are the exception: they are scrubbed once when built and then served many
 * times from memory, so they are not scanned again on every cache hit.
 */
function installScrubbing(fastify: FastifyInstance, scrubber: SecretScrubber): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (typeof value !== 'string') continue;
      const clean = scrubber.scrub(value);
      if (clean !== value) void reply.header(name, clean);
    }
    const scanned = typeof payload === 'string' && !(reply.statusCode < 400 && request.routeOptions.url === SEARCH_ROUTE);
    done(null, scanned ? scrubber.scrub(payload) : payload);
  });
}

const managementListeners = new WeakMap<NestFastifyApplication, ManagementListener>();

/**
 * Starts the management listener (MANAGEMENT_PORT) of an application configured by configureApp, after
 * its API listener; resolves to its address, or undefined when /metrics and /health/* share the API's.
 */
export function listenManagement(app: NestFastifyApplication): Promise<AddressInfo | undefined> {
  const listener = managementListeners.get(app);
  if (!listener) throw new Error('listenManagement: the application was not set up by configureApp');
  return listener.listen();
}
