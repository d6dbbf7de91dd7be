import { readCredentials } from '../../config/credentials';
import { readBaseUrl } from '../../config/parsers';
import type { ConfigProblems, Env } from '../../config/env';

export interface TelnyxConfig {
  apiKey: string;
  /** Without /v2: the adapter adds the API version to the path. */
  baseUrl: string;
}

export function readTelnyxConfig(env: Env, problems: ConfigProblems): TelnyxConfig | undefined {
  const baseUrl = readBaseUrl(env, problems, 'TELNYX_BASE_URL', 'https://api.telnyx.com');
  const creds = readCredentials(env, problems, 'telnyx', ['TELNYX_API_KEY'] as const);
  return creds && { apiKey: creds.TELNYX_API_KEY, baseUrl };
}
