import type { ConfigProblems, Env } from './env';
import { readInt } from './parsers';

/** Per-carrier protection settings (beyond configuration.md; defaults suit most deployments). */
export interface ResilienceConfig {
  /** Retries after the first attempt, for transient failures only, all within PROVIDER_TIMEOUT_MS. */
  maxRetries: number;
  /** Consecutive transient failures that open a carrier's circuit. */
  breakerThreshold: number;
  /** How long an open circuit skips the carrier before one probe call is let through. */
  breakerCooldownMs: number;
  /**
   * Calls in flight per carrier, shared fairly between clients (an eighth kept for clients other than the
   * one holding the rest); past it a call waits in its client's queue (at most this many waiting per client,
   * at most half its remaining budget), then is skipped as overloaded.
   */
  maxConcurrentCalls: number;
}

export function readResilienceConfig(env: Env, problems: ConfigProblems): ResilienceConfig {
  const int = (name: string, fallback: number, min: number, max: number) => readInt(env, problems, name, fallback, min, max);
  return {
    maxRetries: int('PROVIDER_MAX_RETRIES', 2, 0, 10),
    breakerThreshold: int('CIRCUIT_BREAKER_THRESHOLD', 5, 1, 1000),
    breakerCooldownMs: int('CIRCUIT_BREAKER_COOLDOWN_MS', 30_000, 100, 3_600_000),
    maxConcurrentCalls: int('PROVIDER_MAX_CONCURRENCY', 32, 1, 10_000),
  };
}
