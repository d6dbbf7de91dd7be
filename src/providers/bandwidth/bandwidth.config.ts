import { readCredentials } from '../../config/credentials';
import { readBaseUrl } from '../../config/parsers';
import type { ConfigProblems, Env } from '../../config/env';

export interface BandwidthConfig {
  accountId: string;
  username: string;
  password: string;
  /** Including /api: the adapter adds /accounts/{accountId}/availableNumbers (vonage-…-sinch.md §3.1). */
  baseUrl: string;
}

export function readBandwidthConfig(env: Env, problems: ConfigProblems): BandwidthConfig | undefined {
  const baseUrl = readBaseUrl(env, problems, 'BANDWIDTH_BASE_URL', 'https://dashboard.bandwidth.com/api');
  const creds = readCredentials(env, problems, 'bandwidth', ['BANDWIDTH_ACCOUNT_ID', 'BANDWIDTH_USERNAME', 'BANDWIDTH_PASSWORD'] as const);
  if (!creds) return undefined;
  return {
    accountId: creds.BANDWIDTH_ACCOUNT_ID,
    username: creds.BANDWIDTH_USERNAME,
    password: creds.BANDWIDTH_PASSWORD,
    baseUrl,
  };
}
