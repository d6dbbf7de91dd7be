import type { FastifyReply } from 'fastify';
import { providerErrorsHeader } from './engine/failure-report';
import type { SearchOutcome } from './numbers.service';

/** The route of the search, as Fastify matched it (request.routeOptions.url). */
export const SEARCH_ROUTE = '/numbers/available';

/**
 * The headers of a search's answer, set in one place for the controller and the fast path alike: X-Cache,
 * X-Provider-Errors when some carriers failed, the JSON type. (The client's rate-limit headers are set
 * when its usage is counted, before the search.)
 */
export function setSearchAnswerHeaders(reply: FastifyReply, outcome: SearchOutcome): void {
  void reply.header('x-cache', outcome.cache);
  const failed = providerErrorsHeader(outcome.failures);
  if (failed) void reply.header('x-provider-errors', failed);
  void reply.type('application/json; charset=utf-8');
}
