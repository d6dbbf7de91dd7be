import { describeBody, type ProviderResponse } from './provider-http-client';
import { ProviderError } from '../../domain/provider-error';

/**
 * A non-2xx answer whose body is not in the carrier's own format (an HTML page from a proxy or load
 * balancer, a truncated body) is garbage, not a carrier error: bad_response, with the status kept.
 */
export function unreadableErrorBody(provider: string, res: ProviderResponse): ProviderError {
  return new ProviderError({
    provider,
    kind: 'bad_response',
    httpStatus: res.status,
    message: `answered HTTP ${res.status} with a body that is not its error format (${describeBody(res.body)})`,
  });
}
