import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_ANONYMOUS } from '../auth/api-key.guard';
import { CacheBypassPolicy } from '../cache/cache-bypass';
import { ApiSearchResponses } from '../docs/api-responses';
import { UsageService } from '../usage/usage.service';
import { SearchNumbersQueryDto } from './dto/search-numbers.query';
import { toSearchQuery } from './dto/to-search-query';
import { NumbersService } from './numbers.service';
import { setSearchAnswerHeaders } from './search-answer';
import { SearchFastPath } from './search-fast-path';

@ApiTags('numbers')
@ApiSecurity('bearerAuth')
@ApiSecurity('apiKeyHeader')
@ApiExtraModels(SearchNumbersQueryDto)
@Controller('numbers')
export class NumbersController {
  constructor(
    private readonly numbers: NumbersService,
    private readonly usage: UsageService,
    private readonly bypass: CacheBypassPolicy,
    private readonly fastPath: SearchFastPath,
  ) {}

  @Get('available')
  @ApiOperation({
    operationId: 'searchAvailableNumbers',
    summary: 'Search for available phone numbers',
    description:
      'Fans the search out to every configured provider that can serve the country, merges the answers, removes duplicates by E.164 number and returns at most `limit` numbers. Every returned number satisfies every filter given. If some providers fail and others answer, the answer is 200 with what the healthy providers returned (the failures are named in the X-Provider-Errors header). If every eligible provider fails, 502. `Cache-Control: no-cache` asks every provider afresh, for the clients named in CACHE_BYPASS_CLIENTS only; any other client\'s is ignored (the answer then carries X-Cache-Bypass: ignored). A provider that cannot be asked (overloaded, timed out, unavailable) is answered for by its last cached answer when there is one (X-Cache: STALE). Each provider\'s capacity is shared fairly between clients.',
  })
  @ApiSearchResponses()
  async search(
    @Query() dto: SearchNumbersQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const query = toSearchQuery(dto);
    // Authenticated and validated: the same query string with the same credentials may now be answered
    // from memory before this pipeline (search-fast-path.ts).
    this.fastPath.remember(request.url, query);
    const client = request.client ?? CLIENT_ANONYMOUS;
    // Counted after authentication and validation (a search that was refused never costs the client) and
    // before anything is looked up: a refused search (402, or 503 while it cannot be counted) reaches no
    // cache and no carrier. The headers stay on the reply whatever the search's outcome, a 502 included.
    void reply.headers(await this.usage.admit(client));
    // Cache-Control: no-cache is honoured only for the clients CACHE_BYPASS_CLIENTS names; for any other
    // the answer says the header was ignored (X-Cache-Bypass: ignored).
    const bypass = this.bypass.decide(client, request.headers['cache-control']);
    void reply.headers(CacheBypassPolicy.headers(bypass));
    const outcome = await this.numbers.search(query, request.id, { bypassCache: bypass === 'honoured', client });
    setSearchAnswerHeaders(reply, outcome);
    return outcome.body;
  }
}
