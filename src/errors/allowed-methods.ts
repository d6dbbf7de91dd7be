import type { FastifyInstance, HTTPMethods } from 'fastify';

/**
 * The methods some registered route answers at this URL's path, asked of the router itself, so a route
 * added later (a POST beside a GET) is allowed without anyone keeping a list. HEAD comes with every GET
 * (Fastify's exposeHeadRoutes). A target that is not a path (CONNECT's host:port, OPTIONS' *) names no
 * resource here: nothing is allowed on it.
 */
export function allowedMethods(server: FastifyInstance, url: string): string[] {
  const path = /^https?:\/\/[^/?#]*/i.test(url) ? url.replace(/^https?:\/\/[^/?#]*/i, '') || '/' : url;
  if (!path.startsWith('/')) return [];
  return server.supportedMethods.filter((method) => server.findRoute({ method: method as HTTPMethods, url: path }) !== null).sort();
}
