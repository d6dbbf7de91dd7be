import { readCredentials } from '../../config/credentials';
import { readBaseUrl } from '../../config/parsers';
import type { ConfigProblems, Env } from '../../config/env';

export interface PlivoConfig {
  /** Both the Basic user and a path segment (§2.1). */
  authId: string;
  authToken: string;
  /** https://api.plivo.com by default; the adapter adds /v1/Account/{auth_id}/PhoneNumber/. */
  baseUrl: string;
}

export function readPlivoConfig(env: Env, problems: ConfigProblems): PlivoConfig | undefined {
  const baseUrl = readBaseUrl(env, problems, 'PLIVO_BASE_URL', 'https://api.plivo.com');
  const creds = readCredentials(env, problems, 'plivo', ['PLIVO_AUTH_ID', 'PLIVO_AUTH_TOKEN'] as const);
  return creds && { authId: creds.PLIVO_AUTH_ID, authToken: creds.PLIVO_AUTH_TOKEN, baseUrl };
}
