import type { FastifyReply } from 'fastify';
import type { AppError } from './app-error';
import type { ErrorEnvelope } from './error-envelope';

/**
 * Writes one error envelope: the status, headers and body the AppError names, with the request's tracking
 * id. The global exception filter sends through it, and so does every hook that answers before a handler
 * runs (refused request heads, routing errors, the management listener's 404).
 */
export function sendError(reply: FastifyReply, trackingId: string, error: AppError): void {
  const envelope: ErrorEnvelope = { trackingId, error: error.toBody() };
  if (reply.sent) return;
  reply.code(error.status).headers(error.headers).header('content-type', 'application/json; charset=utf-8');
  void reply.send(envelope);
}
