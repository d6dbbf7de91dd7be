import { readCredentials } from '../../config/credentials';
import { readBaseUrl } from '../../config/parsers';
import type { ConfigProblems, Env } from '../../config/env';

export interface SignalWireConfig {
  projectId: string;
  apiToken: string;
  /** The space URL, e.g. https://example.signalwire.com: SignalWire has no global API host. */
  spaceUrl: string;
}

export function readSignalWireConfig(env: Env, problems: ConfigProblems): SignalWireConfig | undefined {
  const creds = readCredentials(env, problems, 'signalwire', ['SIGNALWIRE_PROJECT_ID', 'SIGNALWIRE_API_TOKEN', 'SIGNALWIRE_SPACE_URL'] as const);
  if (!creds) return undefined;
  const spaceUrl = readBaseUrl(env, problems, 'SIGNALWIRE_SPACE_URL', 'https://example.signalwire.com');
  return { projectId: creds.SIGNALWIRE_PROJECT_ID, apiToken: creds.SIGNALWIRE_API_TOKEN, spaceUrl };
}
