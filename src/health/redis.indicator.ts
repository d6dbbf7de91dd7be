import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisService } from '../redis/redis.service';
import type { ReadinessContributor } from './readiness';

/**
 * Redis state in /health/ready. Not critical: without Redis searches still work (cache bypassed, usage
 * counted in process), so its outage shows in the body while readiness stays 200.
 */
@Injectable()
export class RedisIndicator implements ReadinessContributor {
  readonly key = 'redis';
  readonly critical = false;

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly redis: RedisService,
  ) {}

  async check() {
    const session = this.indicator.check(this.key);
    const state = this.redis.state;
    if (!state.configured) return session.up({ mode: 'in-process', note: 'REDIS_URL is not set' });
    if (!this.redis.available) return session.down({ ...state, fallback: 'cache bypassed, usage counted in process' });
    try {
      const started = performance.now();
      await this.redis.client!.ping();
      return session.up({ ...state, pingMs: Math.round((performance.now() - started) * 10) / 10 });
    } catch (e) {
      this.redis.commandFailed(e);
      return session.down({ ...state, lastError: e instanceof Error ? e.message : String(e), fallback: 'cache bypassed, usage counted in process' });
    }
  }
}
