import { readCredentials } from '../../config/credentials';
import { readBaseUrl } from '../../config/parsers';
import type { ConfigProblems, Env } from '../../config/env';

export interface BandwidthConfig {
  accountId: string;
  username: string;
  password: string;
  /** Including /api: the adapter adds /accounts/{accountId}/availableNumbers (vonage-…-sinch.md §3.1). */
  baseUrl: string;
  /** The site (sub-account) ordered numbers land in; orders are refused without it (5022, ordering.md §5). */
  siteId?: string;
  /** The SIP peer (location) of that site the numbers are assigned to. */
  peerId?: string;
}

/** SiteId and PeerId are integers in Bandwidth's order schema (orderMetadata, int32). */
const ID = /^\d{1,10}$/;

export function readBandwidthConfig(env: Env, problems: ConfigProblems): BandwidthConfig | undefined {
  const baseUrl = readBaseUrl(env, problems, 'BANDWIDTH_BASE_URL', 'https://dashboard.bandwidth.com/api');
  const creds = readCredentials(env, problems, 'bandwidth', ['BANDWIDTH_ACCOUNT_ID', 'BANDWIDTH_USERNAME', 'BANDWIDTH_PASSWORD'] as const);
  if (!creds) return undefined;
  const siteId = readId(env, problems, 'BANDWIDTH_SITE_ID');
  const peerId = readId(env, problems, 'BANDWIDTH_PEER_ID');
  if (peerId !== undefined && siteId === undefined && (env.BANDWIDTH_SITE_ID ?? '').trim() === '') {
    problems.add('BANDWIDTH_PEER_ID', 'is set without BANDWIDTH_SITE_ID (a peer belongs to a site)', 'BANDWIDTH_SITE_ID=12345');
  }
  return {
    accountId: creds.BANDWIDTH_ACCOUNT_ID,
    username: creds.BANDWIDTH_USERNAME,
    password: creds.BANDWIDTH_PASSWORD,
    baseUrl,
    ...(siteId !== undefined ? { siteId } : {}),
    ...(peerId !== undefined ? { peerId } : {}),
  };
}

function readId(env: Env, problems: ConfigProblems, variable: 'BANDWIDTH_SITE_ID' | 'BANDWIDTH_PEER_ID'): string | undefined {
  const raw = (env[variable] ?? '').trim();
  if (raw === '') return undefined;
  if (!ID.test(raw)) {
    problems.add(variable, `must be the numeric id Bandwidth's Dashboard shows, got "${raw.slice(0, 20)}"`, `${variable}=12345`);
    return undefined;
  }
  return raw;
}
