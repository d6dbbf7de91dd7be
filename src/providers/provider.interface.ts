import type { OrderingSetup } from '../domain/number-ordering';
import type { Feature, NumberType, SearchQuery } from '../numbers/search-query';
import type { ProviderHttp } from './http/provider-http-client';

/**
 * A number as an adapter hands it to the engine. The adapter translates field names and formats
 * (E.164 with '+', features in our vocabulary); the engine re-checks every filter afterwards, because
 * carriers return near matches.
 */
export interface ProviderNumber {
  phoneNumber: string;
  /** A place name, never a rate-centre code (src/places/readable-place.ts decides what the caller reads). */
  locality?: string;
  administrativeArea?: string;
  /** The carrier's rate-centre code ("SNFC CNTRL"), when it gives one: kept for diagnosis, never shown. */
  rateCenter?: string;
  /** Features the carrier says the number has, in our vocabulary (unknown carrier features dropped). */
  features: Feature[];
}

export interface SearchContext {
  /** Aborted when the provider's budget or the whole search's deadline runs out. */
  readonly signal: AbortSignal;
  readonly trackingId: string;
  /** When the call's budget ends (Date.now() milliseconds); retries that cannot finish by then are not tried. */
  readonly deadlineAt?: number;
}

/** What every carrier implements. Adapters are stateless after construction. */
export interface NumberProvider {
  readonly name: string;
  /** Whether this carrier can be asked for this search at all (country, type, features it can verify). */
  supports(query: SearchQuery): boolean;
  /**
   * Resolves to the carrier's numbers for the query, or rejects with a ProviderError. Never rejects
   * with anything else: the engine treats any other rejection as a bug in the adapter.
   */
  search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]>;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Collects start-up configuration problems: one line each, naming the variable and a right value. */
export interface ConfigProblems {
  add(variable: string, problem: string, example: string): void;
}

export interface ProviderDeps {
  /** HTTP bound to this carrier: transport failures come back as ProviderErrors naming it. */
  http: ProviderHttp;
}

/**
 * Everything the service knows about one carrier. Registering a carrier is adding its definition to
 * the PROVIDER_DEFINITIONS list in registry.ts.
 */
export interface ProviderDefinition<C = unknown> {
  readonly name: string;
  /** Environment variables that hold secrets: never logged, redacted if they ever appear. */
  readonly secretEnv: readonly string[];
  /**
   * The variables this carrier is sent as HTTP Basic credentials (`user:secret`), so the encoded pair is
   * recognised and scrubbed wherever a carrier echoes it. Absent: the carrier takes no Basic credentials.
   */
  readonly basicAuthEnv?: readonly [user: string, secret: string];
  /**
   * Reads this carrier's variables. Returns undefined when its credentials are not set (the carrier is
   * disabled); reports partial or malformed settings as problems.
   */
  readConfig(env: Env, problems: ConfigProblems): C | undefined;
  create(config: C, deps: ProviderDeps): NumberProvider;
  /**
   * Buying numbers at this carrier, built from the same configuration and deps as its search adapter. Says
   * why when this configuration cannot order (Bandwidth without BANDWIDTH_SITE_ID). Absent: no ordering.
   */
  createOrdering?(config: C, deps: ProviderDeps): OrderingSetup;
}

export type { Feature, NumberType, SearchQuery };
