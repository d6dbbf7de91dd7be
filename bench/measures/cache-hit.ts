import Redis from 'ioredis';
import { startEmulators } from '../../emulators/index';
import { load, type LoadResult, median } from '../lib/load';
import { REFERENCE_MAIN, SERVICE_MAIN, startProcess } from '../lib/processes';
import { AUTH, KEY, keyPrefix, log, QUERY, REDIS_URL, ROUNDS, SECONDS, serviceEnv } from '../lib/setup';

export interface CacheHitVariant {
  /** Shown in the table. */
  name: string;
  /** Extra environment for the service (a usage limit, tracing). */
  env: Record<string, string>;
}

export interface CacheHitResult {
  variant: string;
  rounds: number;
  secondsPerRound: number;
  service: LoadResult;
  reference: LoadResult;
  /** Median of the per-round ratios, and their spread. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  ratios: number[];
  /** Every request the service answered in this measure, warm-up included. */
  serviceRequests: number;
}

/**
 * Cache-hit throughput of the service against a bare Fastify + ioredis server that checks the key and does one
 * Redis GET per request (bench/reference-server.ts), same search, same key, 50 connections. Rounds alternate
 * between the two (reference first in odd rounds, service first in even ones) so drift on the machine hits both.
 */
export async function cacheHit(carriers: string[], variant: CacheHitVariant): Promise<CacheHitResult> {
  log(`1. cache-hit throughput (${variant.name}): ${ROUNDS} alternating rounds of ${SECONDS} s against the bare reference`);
  const emulators = await startEmulators({ carriers });
  const service = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: keyPrefix('hit'), ...variant.env }), '/health/ready');
  const warm = await fetch(`${service.url}${QUERY}`, { headers: AUTH });
  const body = await warm.text();
  if (warm.status !== 200) throw new Error(`warm-up answered ${warm.status}: ${body}`);
  const redis = new Redis(REDIS_URL);
  const refPrefix = keyPrefix('ref');
  await redis.set(`${refPrefix}:US:415:sms,voice:10`, body, 'EX', 3600);
  const reference = await startProcess(REFERENCE_MAIN, { REDIS_URL, API_KEY: KEY, CACHE_KEY_PREFIX: refPrefix }, '/health');
  try {
    const options = { connections: 50, seconds: SECONDS, headers: AUTH };
    await load(`${reference.url}${QUERY}`, { ...options, seconds: 2 });
    const warmUp = await load(`${service.url}${QUERY}`, { ...options, seconds: 2 });
    const svc: LoadResult[] = [];
    const ref: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        ref.push(await load(`${reference.url}${QUERY}`, options));
        svc.push(await load(`${service.url}${QUERY}`, options));
      } else {
        svc.push(await load(`${service.url}${QUERY}`, options));
        ref.push(await load(`${reference.url}${QUERY}`, options));
      }
      log(`   round ${round + 1}: service ${svc[round].requestsPerSecond.toFixed(0)} req/s, reference ${ref[round].requestsPerSecond.toFixed(0)} req/s`);
      if (svc[round].non2xx > 0 || svc[round].errors > 0) throw new Error(`service answered ${svc[round].non2xx} non-2xx and ${svc[round].errors} errors`);
    }
    const ratios = svc.map((s, i) => s.requestsPerSecond / ref[i].requestsPerSecond);
    return {
      variant: variant.name,
      rounds: ROUNDS,
      secondsPerRound: SECONDS,
      service: medianResult(svc),
      reference: medianResult(ref),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      ratios,
      serviceRequests: 1 + warmUp.total + svc.reduce((n, r) => n + r.total, 0),
    };
  } finally {
    await Promise.all([reference.stop(), service.stop(), emulators.close()]);
    await redis.quit();
  }
}

function medianResult(results: LoadResult[]): LoadResult {
  const pick = (f: (r: LoadResult) => number) => median(results.map(f));
  return {
    requestsPerSecond: pick((r) => r.requestsPerSecond),
    total: results.reduce((n, r) => n + r.total, 0),
    p50Ms: pick((r) => r.p50Ms),
    p99Ms: pick((r) => r.p99Ms),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
  };
}
