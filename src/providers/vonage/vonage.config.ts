import { readCredentials } from '../../config/credentials';
import { readBaseUrl } from '../../config/parsers';
import type { ConfigProblems, Env } from '../../config/env';

export interface VonageConfig {
  apiKey: string;
  apiSecret: string;
  /** https://rest.nexmo.com by default; the adapter adds /number/search. */
  baseUrl: string;
}

export function readVonageConfig(env: Env, problems: ConfigProblems): VonageConfig | undefined {
  const baseUrl = readBaseUrl(env, problems, 'VONAGE_BASE_URL', 'https://rest.nexmo.com');
  const creds = readCredentials(env, problems, 'vonage', ['VONAGE_API_KEY', 'VONAGE_API_SECRET'] as const);
  return creds && { apiKey: creds.VONAGE_API_KEY, apiSecret: creds.VONAGE_API_SECRET, baseUrl };
}
