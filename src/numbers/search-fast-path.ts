import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Authenticator } from '../auth/authenticator';
import { canonicalQuery } from '../domain/canonical-query';
import type { SearchQuery } from '../domain/search-query';
import { AppError } from '../errors/app-error';
import { sendError } from '../errors/send-error';
import { Memo } from '../memo/memo';
import { UsageService } from '../usage/usage.service';
import { NumbersService } from './numbers.service';
import { SEARCH_ROUTE, setSearchAnswerHeaders } from './search-answer';

/**
 * Repeated searches, answered before Nest's pipeline. The controller stays the definition of the search:
 * every query string it accepted (validated by the global pipe) is remembered here with its canonical key.
 * When the same query string comes again with credential headers the authenticator already accepted, and the
 * search's answer is in the NumbersService memo, this hook answers it: the client's usage is counted by the
 * same UsageService, the headers are set by the same function, and every hook of the server (tracking id,
 * request checks, log line, metrics, tracing, scrubbing) runs as for any request. Anything else (a new query
 * string, new credentials, Cache-Control, a refused key, an answer not in memory) goes on to the full pipeline,
 * which decides as it always did. Nothing is validated or authenticated twice, and nothing differently.
 */
@Injectable()
export class SearchFastPath {
  /** Query string → canonical key, for query strings the full pipeline accepted. */
  private readonly accepted = new Memo<string>('acceptedSearches');

  constructor(
    private readonly numbers: NumbersService,
    private readonly usage: UsageService,
    private readonly authenticator: Authenticator,
    @InjectPinoLogger('numbers') private readonly logger: PinoLogger,
  ) {}

  /** Called by the controller once validation accepted the query string of `url`. */
  remember(url: string, query: SearchQuery): void {
    this.accepted.set(queryString(url), canonicalQuery(query));
  }

  /** Answers the request when it can (true), or leaves it to the pipeline (false). */
  tryAnswer(request: FastifyRequest, reply: FastifyReply): boolean {
    if (request.method !== 'GET' || request.routeOptions.url !== SEARCH_ROUTE) return false;
    // Whether Cache-Control is honoured depends on the client and configuration: the controller decides.
    if (request.headers['cache-control'] !== undefined) return false;
    const key = this.accepted.get(queryString(request.url));
    if (key === undefined) return false;
    const client = this.authenticator.rememberedClient(request.headers);
    if (client === undefined) return false;
    const body = this.numbers.memoisedAnswer(key);
    if (body === undefined) return false;
    request.client = client;
    const outcome = { body, failures: [], cache: 'HIT' as const };
    if (!this.usage.enabled) {
      setSearchAnswerHeaders(reply, outcome);
      void reply.send(body);
      return true;
    }
    // Counted before the answer goes out, as in the controller; a refusal (402, or 503 while usage cannot be
    // counted) is the same error the pipeline would send.
    this.usage.admit(client).then(
      (headers) => {
        void reply.headers(headers);
        setSearchAnswerHeaders(reply, outcome);
        void reply.send(body);
      },
      (e: unknown) => sendError(reply, request.id, e instanceof AppError ? e : this.unexpected(request, e)),
    );
    return true;
  }

  private unexpected(request: FastifyRequest, e: unknown): AppError {
    this.logger.error({ err: e, method: request.method, path: SEARCH_ROUTE }, 'unhandled exception while counting usage');
    return AppError.unexpected();
  }
}

/** Installs the fast path as the server's last onRequest hook (after the tracking id and the request checks). */
export function installSearchFastPath(fastify: FastifyInstance, fastPath: SearchFastPath): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!fastPath.tryAnswer(request, reply)) done();
  });
}

function queryString(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}
