import { ConfigProblemList } from '../../src/config/config-problems';
import { ProviderHttpClient, type ProviderHttpOptions } from '../../src/providers/http/provider-http-client';
import { ProviderError } from '../../src/domain/provider-error';
import type { Env } from '../../src/config/env';
import type { NumberProvider, SearchContext } from '../../src/domain/number-provider';
import type { SearchQuery } from '../../src/domain/search-query';
import type { ProviderDefinition } from '../../src/providers/provider-definition';

/**
 * Builds an adapter exactly as the service does (its definition reading the environment, the shared
 * HTTP client), pointed at an emulator through the environment only.
 */
export function createProviderFromEnv(
  definition: ProviderDefinition<any>,
  env: Env,
  http: ProviderHttpOptions = {},
): NumberProvider {
  const problems = new ConfigProblemList();
  const config = definition.readConfig(env, problems);
  if (!problems.empty) throw new Error(`configuration problems: ${problems.lines().join('; ')}`);
  if (config === undefined) throw new Error(`${definition.name} is not enabled by this environment`);
  return definition.create(config, { http: ProviderHttpClient.create(http).forProvider(definition.name) });
}

export function query(partial: Partial<SearchQuery> = {}): SearchQuery {
  return { countryCode: 'US', features: [], phoneNumberType: 'local', limit: 10, ...partial };
}

/**
 * A call's context: by default its signal never fires and it has no deadline (the test's own timeout
 * guards it); a test that cancels the call passes the signal.
 */
export function ctx(signal: AbortSignal = new AbortController().signal, deadlineAt = Number.POSITIVE_INFINITY): SearchContext {
  return { signal, trackingId: 'test-tracking-id', deadlineAt };
}

/** The ProviderError a call rejects with (failing the test if it resolves or rejects with anything else). */
export async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

/** A response body as JSON, untyped: the tests assert on carriers' own shapes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const jsonOf = (res: Response): Promise<any> => res.json();
