import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { newTrackingId } from './tracking-id';
import { sendError } from './send-error';
import { AppError } from './app-error';
import { URL_FIX } from './request-limits';
import { logRefusal } from './refusal-log';

/**
 * Fastify's frameworkErrors option: errors Fastify raises while routing, before any hook or the Nest
 * filter runs (a URL that cannot be decoded, a path parameter over maxParamLength). Same envelope and
 * X-Tracking-Id as everything else, and a log line, which the request hooks do not write for these; the
 * request was read whole, so the connection stays usable.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const trackingId = request.id ?? newTrackingId();
  const answer = refusal(error);
  void reply.header('x-tracking-id', trackingId);
  sendError(reply, trackingId, answer);
  const path = (request.raw.url ?? '').split('?')[0];
  logRefusal(request.server, { trackingId, statusCode: answer.status, method: request.raw.method, path, reason: error.code }, `${request.raw.method} ${path.slice(0, 200)} ${answer.status}`);
}

function refusal(error: FastifyError): AppError {
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return AppError.refusedRequest(414, 'A segment of the request path is too long.', URL_FIX);
    case 'FST_ERR_BAD_URL':
      return AppError.refusedRequest(
        400,
        'The request URL could not be decoded.',
        'Percent-encode the path and query string (e.g. with encodeURIComponent), e.g. /numbers/available?countryCode=US.',
      );
    default:
      return AppError.refusedRequest(400, 'The request could not be routed.', 'Send the request as described at GET /openapi.json.');
  }
}
