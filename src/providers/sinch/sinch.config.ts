import { readCredentials } from '../../config/credentials';
import { readBaseUrl } from '../../config/parsers';
import type { ConfigProblems, Env } from '../../config/env';

export interface SinchConfig {
  projectId: string;
  keyId: string;
  keySecret: string;
  /** The Numbers API host, without /v1 (vonage-…-sinch.md §5.1). */
  baseUrl: string;
  /** The OAuth2 host: the adapter posts to {authUrl}/oauth2/token (§5.1). */
  authUrl: string;
}

export function readSinchConfig(env: Env, problems: ConfigProblems): SinchConfig | undefined {
  const baseUrl = readBaseUrl(env, problems, 'SINCH_BASE_URL', 'https://numbers.api.sinch.com');
  const authUrl = readBaseUrl(env, problems, 'SINCH_AUTH_URL', 'https://auth.sinch.com');
  const creds = readCredentials(env, problems, 'sinch', ['SINCH_PROJECT_ID', 'SINCH_KEY_ID', 'SINCH_KEY_SECRET'] as const);
  if (!creds) return undefined;
  return { projectId: creds.SINCH_PROJECT_ID, keyId: creds.SINCH_KEY_ID, keySecret: creds.SINCH_KEY_SECRET, baseUrl, authUrl };
}
