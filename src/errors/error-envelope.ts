import type { ErrorCode } from './error-codes';

/** One provider's failure, listed in a 502 so the caller sees every carrier's answer. */
export interface ProviderFailureSummary {
  provider: string;
  code: string;
  providerCode?: string;
  message: string;
}

/** One problem with one query parameter (validation errors list them all). */
export interface ParameterProblem {
  parameter: string;
  message: string;
  fix: string;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fix?: string;
  provider?: string;
  providerCode?: string;
  /** 400 only: every parameter problem found, not just the first. */
  details?: ParameterProblem[];
  /** 502 only: every eligible provider's failure. */
  providers?: ProviderFailureSummary[];
}

/** `{ trackingId, error }`: the only error shape the service ever sends. */
export interface ErrorEnvelope {
  trackingId: string;
  error: ErrorBody;
}
