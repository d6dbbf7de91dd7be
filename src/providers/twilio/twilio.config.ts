import { readCredentials } from '../../config/credentials';
import { readBaseUrl } from '../../config/parsers';
import type { ConfigProblems, Env } from '../../config/env';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  baseUrl: string;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

export function readTwilioConfig(env: Env, problems: ConfigProblems): TwilioConfig | undefined {
  const baseUrl = readBaseUrl(env, problems, 'TWILIO_BASE_URL', 'https://api.twilio.com');
  const creds = readCredentials(env, problems, 'twilio', ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const);
  if (!creds) return undefined;
  // The SID is part of every path (telnyx-twilio.md §2.1); a malformed one can only fail every search.
  if (!ACCOUNT_SID.test(creds.TWILIO_ACCOUNT_SID)) {
    problems.add('TWILIO_ACCOUNT_SID', 'is not AC followed by 32 hex digits', 'TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef');
    return undefined;
  }
  return { accountSid: creds.TWILIO_ACCOUNT_SID, authToken: creds.TWILIO_AUTH_TOKEN, baseUrl };
}
