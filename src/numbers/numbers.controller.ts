import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SearchNumbersQueryDto } from './dto/search-numbers.query';
import { toSearchQuery } from './dto/to-search-query';
import { providerErrorsHeader } from './engine/failure-report';
import { NumbersService } from './numbers.service';
import { UsageService } from '../usage/usage.service';
import { CLIENT_ANONYMOUS } from '../auth/api-key.guard';
import { ApiSearchResponses } from '../docs/api-responses';

@ApiTags('numbers')
@ApiSecurity('bearerAuth')
@ApiSecurity('apiKeyHeader')
@ApiExtraModels(SearchNumbersQueryDto)
@Controller('numbers')
export class NumbersController {
  constructor(
    private readonly numbers: NumbersService,
    private readonly usage: UsageService,
  ) {}

  @Get('available')
  @ApiOperation({
    operationId: 'searchAvailableNumbers',
    summary: 'Search for available phone numbers',
    description:
      'Fans the search out to every configured provider that can serve the country, merges the answers, removes duplicates by E.164 number and returns at most `limit` numbers. Every returned number satisfies every filter given. If some providers fail and others answer, the answer is 200 with what the healthy providers returned (the failures are named in the X-Provider-Errors header). If every eligible provider fails, 502.',
  })
  @ApiSearchResponses()
  async search(
    @Query() dto: SearchNumbersQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ numbers: unknown[] }> {
    const query = toSearchQuery(dto);
    // Counted after authentication and validation: a search that was refused never costs the client.
    void reply.headers(await this.usage.consume(request.client ?? CLIENT_ANONYMOUS));
    const bypassCache = /\bno-cache\b/i.test(String(request.headers['cache-control'] ?? ''));
    const outcome = await this.numbers.search(query, request.id, { bypassCache });
    void reply.header('x-cache', outcome.cache);
    const failed = providerErrorsHeader(outcome.failures);
    if (failed) void reply.header('x-provider-errors', failed);
    return { numbers: outcome.numbers };
  }
}
