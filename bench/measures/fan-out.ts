import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { startEmulators } from '../../emulators/index';
import { percentile } from '../lib/load';
import { SERVICE_MAIN, startProcess } from '../lib/processes';
import { AUTH, keyPrefix, log, serviceEnv } from '../lib/setup';

/** How long each emulated carrier takes to answer. */
export const CARRIER_LATENCY_MS = 200;
const SEARCHES = 220;
const WARM_UP = 20;

/**
 * US area codes in service (a number in each is valid for libphonenumber), one per search: every search is a
 * miss in Redis and brings numbers the service has not seen, so nothing learnt from an earlier search helps.
 */
function usAreaCodes(): string[] {
  const codes: string[] = [];
  for (let ac = 201; ac <= 989; ac++) {
    const n = parsePhoneNumberFromString(`+1${ac}2340123`);
    if (n?.isValid() && n.country === 'US') codes.push(String(ac));
  }
  return codes;
}

export interface FanOutResult {
  providers: number;
  carrierLatencyMs: number;
  samples: number;
  /** What the service adds over the slowest carrier: the search's latency minus that carrier's own time. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** The same latencies minus the nominal carrier latency (CARRIER_LATENCY_MS), as a cruder yardstick. */
  nominal: { p50Ms: number; p90Ms: number; p99Ms: number };
}

/**
 * What the service adds to a cold search (validation, usage, cache reads, the fill lock, its HTTP calls, cache
 * writes, exact filter, merge, serialisation, its own HTTP answer) over carriers that all answer after
 * CARRIER_LATENCY_MS: one search at a time, each in an area code of its own (limit 10). Each search's overhead
 * is its latency, measured here, minus the time the slowest carrier took to answer it, measured by the emulator
 * from the request's arrival to its answer's last byte. Everything else counts against the service: the network
 * hops to the carriers, its HTTP client, and whatever the emulators' work delays.
 */
export async function fanOut(carriers: string[]): Promise<FanOutResult> {
  log(`2. fan-out overhead: ${carriers.length} providers answering after ${CARRIER_LATENCY_MS} ms, Redis on, cold cache`);
  const emulators = await startEmulators({ carriers });
  for (const c of carriers) emulators.setBehaviour(c, { latencyMs: CARRIER_LATENCY_MS });
  const service = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: keyPrefix('fan') }), '/health/ready');
  const overheads: number[] = [];
  const nominal: number[] = [];
  const areaCodes = usAreaCodes();
  if (areaCodes.length < SEARCHES) throw new Error(`only ${areaCodes.length} US area codes for ${SEARCHES} searches`);
  try {
    for (let i = 0; i < SEARCHES; i++) {
      emulators.clearRequests();
      const started = performance.now();
      const res = await fetch(`${service.url}/numbers/available?countryCode=US&areaCode=${areaCodes[i]}&limit=10`, { headers: AUTH });
      await res.arrayBuffer();
      const latency = performance.now() - started;
      if (res.status !== 200 || res.headers.get('x-cache') !== 'MISS') throw new Error(`search ${i} answered ${res.status} ${res.headers.get('x-cache')}`);
      // A carrier asked more than once (a retry, a second page) took from its first request to its last answer.
      const carrierTimes = carriers.map((c) => {
        const calls = emulators.requests(c);
        if (calls.length === 0 || calls.some((r) => r.answeredMs === undefined)) throw new Error(`search ${i}: ${c} was not asked or did not answer`);
        return Math.max(...calls.map((r) => r.answeredMs ?? 0)) - Math.min(...calls.map((r) => r.receivedMs));
      });
      if (i < WARM_UP) continue;
      overheads.push(latency - Math.max(...carrierTimes));
      nominal.push(latency - CARRIER_LATENCY_MS);
    }
  } finally {
    await Promise.all([service.stop(), emulators.close()]);
  }
  return {
    providers: carriers.length,
    carrierLatencyMs: CARRIER_LATENCY_MS,
    samples: overheads.length,
    p50Ms: percentile(overheads, 50),
    p90Ms: percentile(overheads, 90),
    p99Ms: percentile(overheads, 99),
    nominal: { p50Ms: percentile(nominal, 50), p90Ms: percentile(nominal, 90), p99Ms: percentile(nominal, 99) },
  };
}
