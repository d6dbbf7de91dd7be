import type { CIRCUIT_STATE_VALUE } from '../metrics/metrics.service';

export type CircuitStateName = keyof typeof CIRCUIT_STATE_VALUE;

/** A carrier's circuit as readiness reports it: the carrier's name and whether calls to it are paused. */
export interface CircuitView {
  readonly name: string;
  readonly circuit: CircuitStateName;
}
