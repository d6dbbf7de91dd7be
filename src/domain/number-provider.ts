import type { Feature, SearchQuery } from './search-query';

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

/** What one carrier call carries besides the query. */
export interface SearchContext {
  /** Aborted when the call's budget or the whole search's deadline runs out; cancels the HTTP request. */
  readonly signal: AbortSignal;
  readonly trackingId: string;
  /**
   * When the call's budget ends (Date.now() milliseconds; Infinity when it has none). The same moment the
   * signal fires, as a value: retries and waits that cannot finish by then are not started.
   */
  readonly deadlineAt: number;
  /**
   * The client (API key name) the call is made for: a carrier's capacity is shared fairly between
   * clients (src/resilience/fair-capacity.ts). Absent for work no client asked for (background refreshes).
   */
  readonly client?: string;
}

/** What every carrier implements, and what every layer wrapped around a carrier implements too. */
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
