import { NotFoundException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEAD_TIMEOUT_CHECK_MS } from '../errors/request-limits';
import { sendError } from '../errors/send-error';
import { fromHttpException } from '../errors/http-exception.mapping';

/** The routes an operator's tools use (Prometheus, the orchestrator's probes), not the API's callers. */
export function isManagementRoute(route: string): boolean {
  return route === '/metrics' || route === '/health' || route.startsWith('/health/');
}

/** Longest the management listener waits for its last scrape or probe to finish at shutdown. */
const CLOSE_WAIT_MS = 2000;

/**
 * /metrics and /health/* on a listener of their own (MANAGEMENT_PORT, MANAGEMENT_HOST), so they can stay
 * inside the cluster while the API is public. It is a second HTTP server in front of the same Fastify
 * instance (fastify.routing): every hook a request meets on the API's port (tracking id, request log,
 * metrics, error envelope) applies there too. The API's port answers these paths with the 404 envelope
 * of an unknown route, and the management port answers every other path the same way.
 *
 * Without a management port configured nothing changes: everything is served on the API's listener.
 */
export class ManagementListener {
  private server?: http.Server;
  private readonly received = new WeakSet<http.IncomingMessage>();

  constructor(
    private readonly fastify: FastifyInstance,
    private readonly options: { port: number; host: string } | undefined,
  ) {
    if (!options) return;
    fastify.addHook('onRequest', (request, reply, done) => {
      // Decided on the route the router matched, not the URL as sent (/%6Detrics is /metrics too).
      const route = request.routeOptions.url;
      const onManagementListener = this.received.has(request.raw);
      if (route === undefined || isManagementRoute(route) === onManagementListener) return done();
      sendError(reply, request.id, notFound(request));
    });
    // Stops accepting with the API's listener; open connections finish their request (keep-alive ones
    // are closed when idle) while the API drains.
    fastify.addHook('preClose', (done) => {
      this.server?.close();
      this.server?.closeIdleConnections();
      done();
    });
    fastify.addHook('onClose', (_instance, done) => {
      const server = this.server;
      if (!server || !server.listening) return done();
      const timer = setTimeout(() => server.closeAllConnections(), CLOSE_WAIT_MS).unref();
      server.once('close', () => {
        clearTimeout(timer);
        done();
      });
    });
  }

  /** Starts listening, once the API's listener does; resolves to its address (undefined when not configured). */
  async listen(): Promise<AddressInfo | undefined> {
    if (!this.options) return undefined;
    const routing = this.fastify.routing;
    const server = http.createServer({ headersTimeout: this.fastify.server.headersTimeout, connectionsCheckingInterval: HEAD_TIMEOUT_CHECK_MS }, (req, res) => {
      this.received.add(req);
      routing(req, res);
    });
    // Idle keep-alive connections are kept as long as on the API's listener.
    server.keepAliveTimeout = this.fastify.server.keepAliveTimeout;
    server.requestTimeout = this.fastify.server.requestTimeout;
    const { port, host } = this.options;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server.address() as AddressInfo;
  }
}

function notFound(request: FastifyRequest) {
  // The same answer as for any unknown route: nothing tells a caller that a management listener exists.
  return fromHttpException(new NotFoundException(), request)!;
}
