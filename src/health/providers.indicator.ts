import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ENABLED_PROVIDERS, type RegisteredProvider } from '../providers/providers.module';
import type { ReadinessContributor } from './readiness';

/** Lists the enabled carriers; later also each one's circuit state. */
@Injectable()
export class ProvidersIndicator implements ReadinessContributor {
  readonly key = 'providers';
  readonly critical = true;

  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(ENABLED_PROVIDERS) private readonly providers: RegisteredProvider[],
  ) {}

  async check() {
    return this.indicator.check(this.key).up({ enabled: this.providers.map((p) => p.name) });
  }
}
