import { createNumbersClient, type AvailableNumber } from '@numbers-gateway/client';

const numbers = createNumbersClient({
  baseUrl: process.env.NUMBERS_GATEWAY_URL ?? 'http://numbers-gateway:3000',
  apiKey: process.env.NUMBERS_GATEWAY_API_KEY ?? '',
  timeoutMs: 8_000,
});

/** Numbers in San Francisco that can send SMS and take calls; undefined when the search should be retried later. */
export async function findNumbers(signal?: AbortSignal): Promise<AvailableNumber[] | undefined> {
  const result = await numbers.searchAvailableNumbers(
    { countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 5 },
    { signal },
  );
  if (result.ok) {
    const { numbers: found, providerErrors, trackingId } = result.value;
    if (providerErrors) console.warn(`partial answer ${trackingId}: ${providerErrors.map((p) => `${p.provider}=${p.code}`).join(', ')}`);
    return found;
  }

  const error = result.error;
  switch (error.code) {
    case 'validation_error': // our request is wrong: every bad parameter comes with its fix
      throw new Error(`numbers search rejected (${error.trackingId}): ${error.details.map((d) => `${d.parameter}: ${d.fix}`).join('; ')}`);
    case 'unauthorized': // our key is missing, unknown or revoked
      throw new Error(`numbers-gateway refused our key (${error.trackingId}): ${error.fix ?? error.message}`);
    case 'usage_limit_exceeded': // come back when the window resets
      console.warn(`search quota used up, retry in ${error.retryAfterSeconds ?? 60} s (${error.trackingId})`);
      return undefined;
    case 'provider_error': // every carrier failed; each one's failure is listed
      console.warn(`no carrier answered (${error.trackingId}): ${error.providers.map((p) => `${p.provider}=${p.code}`).join(', ')}`);
      return undefined;
    case 'usage_unavailable': // our usage cannot be counted right now: come back shortly
      console.warn(`numbers-gateway cannot count our searches now, retry in ${error.retryAfterSeconds ?? 5} s (${error.trackingId})`);
      return undefined;
    case 'internal_error': // a bug on their side: quote the trackingId
      throw new Error(`numbers-gateway ${error.status} ${error.code} (${error.trackingId}): ${error.message}`);
    case 'timeout':
    case 'network_error':
      console.warn(`numbers-gateway unreachable: ${error.message}`);
      return undefined;
    case 'aborted': // we cancelled it ourselves
      return undefined;
    case 'unexpected_response': // something else answered: a proxy, a wrong baseUrl
      throw new Error(`unexpected ${error.status} from numbers-gateway: ${error.message}`);
    default: {
      // Compiles only while every code above is handled: a new documented error shows up here.
      const unhandled: never = error;
      throw new Error(`unhandled numbers-gateway error ${JSON.stringify(unhandled)}`);
    }
  }
}
