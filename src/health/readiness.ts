import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * Something /health/ready reports on. A `critical` contributor that is down makes readiness 503 (the
 * service cannot answer searches); a non-critical one (Redis: searches still work without it) is reported
 * as down in the body while readiness stays 200, so one shared dependency's outage does not pull every
 * instance out of the load balancer at once.
 */
export interface ReadinessContributor {
  readonly key: string;
  readonly critical: boolean;
  check(): Promise<HealthIndicatorResult>;
}

export const READINESS_CONTRIBUTORS = Symbol('READINESS_CONTRIBUTORS');
