import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ENABLED_PROVIDERS, type RegisteredProvider } from '../providers/providers.module';
import type { ReadinessContributor } from './readiness';

/**
 * Each enabled carrier's circuit state. Down (readiness 503) only when carriers are enabled and every one
 * of them is skipped by an open circuit: then the service cannot answer any search.
 */
@Injectable()
export class ProvidersIndicator implements ReadinessContributor {
  readonly key = 'providers';
  readonly critical = true;

  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(ENABLED_PROVIDERS) private readonly providers: RegisteredProvider[],
  ) {}

  async check() {
    const circuits = Object.fromEntries(this.providers.map((p) => [p.name, p.adapter.circuit]));
    const session = this.indicator.check(this.key);
    const allOpen = this.providers.length > 0 && this.providers.every((p) => p.adapter.circuit === 'open');
    const details = { enabled: this.providers.map((p) => p.name), circuits };
    return allOpen ? session.down({ ...details, reason: 'every provider circuit is open' }) : session.up(details);
  }
}
