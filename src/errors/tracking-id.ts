import { randomUUID } from 'node:crypto';

/**
 * A new tracking id: a random UUID without dashes (32 URL-safe characters). randomUUID draws from a
 * cached entropy pool, so it costs far less per request than randomBytes.
 */
export function newTrackingId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Fastify's request id generator. */
export function genReqId(): string {
  return newTrackingId();
}
