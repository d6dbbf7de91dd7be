import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { CircuitView } from '../resilience/circuit';
import type { ReadinessContributor } from './readiness';

/** The injection token of every enabled carrier's circuit (CircuitView[], bound by the composition). */
export const CARRIER_CIRCUITS = Symbol('CARRIER_CIRCUITS');

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
    @Inject(CARRIER_CIRCUITS) private readonly circuits: CircuitView[],
  ) {}

  async check() {
    const circuits = Object.fromEntries(this.circuits.map((c) => [c.name, c.circuit]));
    const session = this.indicator.check(this.key);
    const allOpen = this.circuits.length > 0 && this.circuits.every((c) => c.circuit === 'open');
    const details = { enabled: this.circuits.map((c) => c.name), circuits };
    return allOpen ? session.down({ ...details, reason: 'every provider circuit is open' }) : session.up(details);
  }
}
