import { CARRIER_EMULATORS, type EmulatorServer, type LoggedRequest } from '../../emulators';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { SearchQuery } from '../../src/domain/search-query';
import type { OpenApiValidator } from './openapi-request-validator';
import { ctx, query } from './provider-under-test';

export interface SpecRun {
  /** The searches the adapter sent for the queries it supports (only requests of the searched resource). */
  requests: LoggedRequest[];
  /** How many of the queries the adapter supports. */
  supported: number;
}

/**
 * Runs each query the adapter supports against the emulator and returns what the adapter really sent. Queries it
 * does not support are skipped: they never reach the carrier.
 */
export async function runQueries(
  emu: EmulatorServer,
  carrier: string,
  provider: NumberProvider,
  queries: readonly Partial<SearchQuery>[],
  isSearch: (req: LoggedRequest) => boolean = () => true,
): Promise<SpecRun> {
  emu.clearRequests(carrier);
  let supported = 0;
  for (const partial of queries) {
    const q = query(partial);
    if (!provider.supports(q)) continue;
    supported++;
    await provider.search(q, ctx());
  }
  return { requests: emu.requests(carrier).filter(isSearch), supported };
}

/** Each request against the spec: no error, and the names of the known extras it used. */
export function requestErrors(spec: OpenApiValidator, requests: readonly LoggedRequest[], pathOf: (path: string) => string = (p) => p) {
  const tolerated = new Set<string>();
  const errors = requests.map((req) => {
    const check = spec.checkRequest({ ...req, path: pathOf(req.path) });
    check.tolerated.forEach((t) => tolerated.add(t));
    return { request: `${req.path}?${req.rawQuery}`, errors: check.errors };
  });
  return { errors: errors.filter((e) => e.errors.length > 0), tolerated: [...tolerated].sort() };
}

/**
 * Basic credentials each replayed carrier accepts, from its emulator's defaults: the request log keeps only
 * fingerprints of what the adapter sent (Sinch takes its key pair as Basic as well as its bearer tokens).
 */
const REPLAY_BASIC: Readonly<Record<string, (c: Readonly<Record<string, string>>) => [string, string]>> = {
  bandwidth: (c) => [c.username, c.password],
  vonage: (c) => [c.apiKey, c.apiSecret],
  sinch: (c) => [c.keyId, c.keySecret],
  signalwire: (c) => [c.user, c.password],
  twilio: (c) => [c.user, c.password],
};

/** Replays a logged request against the emulator, with the carrier's valid credentials. */
export function replay(emu: EmulatorServer, carrier: string, req: LoggedRequest): Promise<Response> {
  const emulator = CARRIER_EMULATORS.find((e) => e.name === carrier);
  const pair = emulator && REPLAY_BASIC[carrier]?.(emulator.defaultCredentials);
  if (!pair) throw new Error(`no replay credentials for ${carrier}`);
  const authorization = `Basic ${Buffer.from(pair.join(':')).toString('base64')}`;
  return fetch(`${emu.url}/${carrier}${req.path}?${req.rawQuery}`, { headers: { authorization } });
}
