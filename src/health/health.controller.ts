import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { READINESS_CONTRIBUTORS, type ReadinessContributor } from './readiness';

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_CONTRIBUTORS) private readonly contributors: ReadinessContributor[],
  ) {}

  /** The process is up and its event loop turns. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Whether this instance can answer searches, with each dependency's state in the body. 503 only when a
   * critical contributor is down.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult & { degraded?: string[] }> {
    try {
      return await this.health.check(this.contributors.map((c) => () => c.check()));
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      const result = e.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      const criticalDown = this.contributors.filter((c) => c.critical && down.includes(c.key));
      if (criticalDown.length > 0) {
        void reply.code(503);
        return result;
      }
      return { ...result, status: 'ok', degraded: down };
    }
  }
}
