import { startEmulators } from '../../emulators/index';
import { percentile } from '../lib/load';
import { SERVICE_MAIN, startProcess } from '../lib/processes';
import { AUTH, keyPrefix, log, serviceEnv } from '../lib/setup';

/** How long each emulated carrier takes to answer. */
export const CARRIER_LATENCY_MS = 200;
const AREA_CODES = ['415', '212', '312', '206', '512', '617', '303', '919'];

export interface FanOutResult {
  providers: number;
  carrierLatencyMs: number;
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

/**
 * What the service adds to a cold search (validation, usage, cache reads, the fill lock, cache writes, exact
 * filter, merge, serialisation) over carriers that all answer after CARRIER_LATENCY_MS: one search at a time,
 * each a distinct query (a real miss in Redis), latency minus the carriers' latency.
 */
export async function fanOut(carriers: string[]): Promise<FanOutResult> {
  log(`2. fan-out overhead: ${carriers.length} providers answering after ${CARRIER_LATENCY_MS} ms, Redis on, cold cache`);
  const emulators = await startEmulators({ carriers });
  for (const c of carriers) emulators.setBehaviour(c, { latencyMs: CARRIER_LATENCY_MS });
  const service = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: keyPrefix('fan') }), '/health/ready');
  const overheads: number[] = [];
  try {
    for (let i = 0; i < 220; i++) {
      const areaCode = AREA_CODES[i % AREA_CODES.length];
      const limit = 1 + Math.floor(i / AREA_CODES.length); // each (areaCode, limit) once: every search is cold
      const started = performance.now();
      const res = await fetch(`${service.url}/numbers/available?countryCode=US&areaCode=${areaCode}&limit=${limit}`, { headers: AUTH });
      await res.arrayBuffer();
      if (res.status !== 200 || res.headers.get('x-cache') !== 'MISS') throw new Error(`search ${i} answered ${res.status} ${res.headers.get('x-cache')}`);
      if (i >= 20) overheads.push(performance.now() - started - CARRIER_LATENCY_MS);
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
  };
}
