import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance } from 'fastify';
import { newTrackingId } from './tracking-id';
import { allowedMethods } from './allowed-methods';
import { AppError } from './app-error';
import type { ErrorEnvelope } from './error-envelope';
import { logRefusal } from './refusal-log';
import { MAX_HEADER_BYTES, URL_FIX } from './request-limits';

/**
 * Answers for bytes Node's HTTP parser refused before any route saw a request (Node's 'clientError',
 * handed to Fastify's clientErrorHandler option): the same envelope and X-Tracking-Id as every other
 * answer, instead of Fastify's `{"error":"Bad Request",…}` without either.
 *
 * After a parse error the connection cannot carry another request (where the next one would start is
 * unknown), so the answer says `Connection: close` and the socket is half-closed, never reset: a
 * keep-alive client reads the answer, sees the close and opens a new connection for its next request,
 * instead of sending it into a dead socket. Whatever the client still sends is read and dropped until it
 * closes its side, for at most LINGER_MS; destroying the socket while unread bytes wait in its receive
 * buffer would send a TCP reset that can wipe the answer from under the client.
 */

/** How long a refused connection is kept half-open to drain what the client is still sending. */
const LINGER_MS = 2000;

const answered = new WeakSet<Socket>();

/** Node's parser errors carry the bytes being parsed (typed by Fastify as their JSON form). */
type ParserError = Omit<ConnectionError, 'rawPacket'> & { code?: string; rawPacket?: unknown };

/** Fastify's clientErrorHandler: `this` is the Fastify instance. */
export function answerClientError(this: FastifyInstance, err: ParserError, socket: Socket): void {
  // A reset connection or one already answered (the parser reports every later chunk again) gets nothing.
  if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  // A response already under way (a timeout firing mid-answer) cannot be followed by another one.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const trackingId = newTrackingId();
  const error = refusal(err);
  logRefusal(this, { trackingId, statusCode: error.status, reason: err.code ?? 'unknown' }, `refused a request Node's HTTP parser could not read: ${error.status}`);
  answerAndClose(socket, trackingId, error);
}

/**
 * Node's 'connect': a CONNECT request asks the server to be a proxy, which it is not. Without a listener
 * Node destroys the socket without a word; this answers 405 with the methods the target allows (none for
 * an authority-form target such as host:443) and closes the connection.
 */
export function answerConnect(fastify: FastifyInstance, request: IncomingMessage, socket: Socket): void {
  const trackingId = newTrackingId();
  const allowed = allowedMethods(fastify, request.url ?? '');
  const error = new AppError(
    'method_not_allowed',
    'CONNECT is not allowed: this service is not a proxy.',
    { fix: 'Send the request itself, e.g. GET /numbers/available?countryCode=US; the API is described at GET /openapi.json.' },
    { allow: allowed.join(', ') },
  );
  logRefusal(fastify, { trackingId, statusCode: error.status, method: 'CONNECT', path: request.url }, `CONNECT ${(request.url ?? '').slice(0, 200)} 405`);
  answered.add(socket);
  answerAndClose(socket, trackingId, error);
}

/** Writes the answer, half-closes, drains what the client still sends, and destroys after LINGER_MS. */
function answerAndClose(socket: Socket, trackingId: string, error: AppError): void {
  socket.end(rawResponse(trackingId, error));
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  socket.resume();
}

/** The whole HTTP/1.1 response, written straight to the socket: no ServerResponse exists for these bytes. */
export function rawResponse(trackingId: string, error: AppError): string {
  const envelope: ErrorEnvelope = { trackingId, error: error.toBody() };
  const body = JSON.stringify(envelope);
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    `x-tracking-id: ${trackingId}`,
    ...Object.entries(error.headers).map(([name, value]) => `${name}: ${value}`),
    `date: ${new Date().toUTCString()}`,
    'connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

const READ_AS_HTTP = 'Send an HTTP/1.1 request as a standard client library writes it, e.g. GET /numbers/available?countryCode=US.';

/** What the caller did, by the parser's error code; never quoting the bytes it sent. */
function refusal(err: ParserError): AppError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return requestLineOverflowed(err.rawPacket)
        ? AppError.refusedRequest(414, `The request URL is longer than ${MAX_HEADER_BYTES / 1024} KiB.`, URL_FIX)
        : AppError.refusedRequest(
            431,
            `The request line and headers together are larger than ${MAX_HEADER_BYTES / 1024} KiB.`,
            'Send only the headers the request needs (the key, and Cache-Control if wanted); a search needs well under 1 KiB of them.',
          );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return AppError.refusedRequest(413, 'The chunk extensions of the request body are too large.', 'Send the body without chunk extensions; searches take no body at all.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return AppError.refusedRequest(408, 'The request was not received completely in time.', 'Send the whole request at once; then retry.');
    case 'HPE_INVALID_METHOD':
      return refused('The request method is not an HTTP method.', READ_AS_HTTP);
    case 'HPE_INVALID_URL':
      return refused('The request target is not a valid URL path.', 'Percent-encode the path and query (e.g. with encodeURIComponent), e.g. /numbers/available?countryCode=US.');
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_CONSTANT':
      return refused('The request line does not end with a supported HTTP version.', READ_AS_HTTP);
    case 'HPE_INVALID_HEADER_TOKEN':
      return refused('A header name or value holds a character HTTP does not allow.', 'Send header names of letters, digits and -, and values without control characters.');
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return refused('The Content-Length header is invalid or sent together with Transfer-Encoding.', 'Send one valid Content-Length, or none: searches take no body.');
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return refused('The request body is not valid chunked encoding.', 'Send no body: searches take none.');
    default:
      return refused(`The request is not valid HTTP/1.1 (${err.code ?? 'unreadable'}).`, READ_AS_HTTP);
  }
}

const refused = (message: string, fix: string) => AppError.refusedRequest(400, message, fix);

/**
 * Whether the head overflowed before its request line ended: the bytes being parsed start with a request
 * line that has no line end. Node reports one error code for both cases; the bytes tell them apart
 * whenever the request line arrived in one piece, which is how clients write it.
 */
function requestLineOverflowed(raw: unknown): boolean {
  if (!Buffer.isBuffer(raw) || raw.length === 0) return false;
  const head = raw.subarray(0, Math.min(raw.length, MAX_HEADER_BYTES + 1024));
  return /^[A-Z]+ /.test(head.subarray(0, 16).toString('latin1')) && !head.includes(0x0a);
}

/**
 * Node's 'checkExpectation': a request whose Expect header is not 100-continue. Node's own answer is a
 * bare 417; this one is the envelope. The request was read whole, so the connection stays usable.
 */
export function answerUnknownExpectation(fastify: FastifyInstance, request: IncomingMessage, response: ServerResponse): void {
  const trackingId = newTrackingId();
  const error = AppError.refusedRequest(417, 'The Expect header asks for an expectation this service does not support.', 'Remove the Expect header; the service supports only Expect: 100-continue.');
  const body = JSON.stringify({ trackingId, error: error.toBody() } satisfies ErrorEnvelope);
  response.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-tracking-id': trackingId,
  });
  response.end(body);
  const path = (request.url ?? '').split('?')[0];
  logRefusal(fastify, { trackingId, statusCode: error.status, method: request.method, path, reason: 'expect' }, `${request.method} ${path.slice(0, 200)} 417`);
}
