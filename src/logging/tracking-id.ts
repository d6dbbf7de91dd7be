import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const TRACKING = Symbol('trackingId');

/** A new tracking id: 16 random bytes, base64url (22 URL-safe characters). */
export function newTrackingId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Fastify's request id generator: the id is also stored on the raw request so the request logger
 * (which sees only the raw request) binds the same id to every log line.
 */
export function genReqId(raw: IncomingMessage): string {
  const id = newTrackingId();
  (raw as unknown as Record<symbol, string>)[TRACKING] = id;
  return id;
}

export function trackingIdOf(raw: IncomingMessage): string | undefined {
  return (raw as unknown as Record<symbol, string | undefined>)[TRACKING];
}
