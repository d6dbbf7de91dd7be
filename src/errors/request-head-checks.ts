import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error';
import { MAX_URL_BYTES, URL_FIX } from './request-limits';

/**
 * What is wrong with a request head that Node parsed but the service will not serve, checked before
 * anything else (authentication included). Both answers leave the connection usable.
 */
export function headProblem(request: FastifyRequest): AppError | undefined {
  if ((request.raw.url?.length ?? 0) > MAX_URL_BYTES) {
    return AppError.refusedRequest(414, `The request URL is longer than ${MAX_URL_BYTES / 1024} KiB.`, URL_FIX);
  }
  // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400. Node would answer it itself, bare and
  // closing the connection (its requireHostHeader, turned off in createAdapter so the envelope is sent).
  const raw = request.raw;
  if (raw.httpVersionMajor === 1 && raw.httpVersionMinor === 1 && raw.headers.host === undefined) {
    return AppError.refusedRequest(400, 'The request has no Host header; HTTP/1.1 requires one.', 'Send a Host header, as every HTTP/1.1 client library does.');
  }
  return undefined;
}
