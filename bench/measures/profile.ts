import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators } from '../../emulators/index';
import { summariseProfile, type ProfileShare } from '../lib/cpu-profile';
import { load } from '../lib/load';
import { SERVICE_MAIN, startProcess } from '../lib/processes';
import { AUTH, keyPrefix, log, QUERY, serviceEnv } from '../lib/setup';

export interface ProfileResult {
  workload: string;
  busyMs: number;
  shares: ProfileShare[];
}

/**
 * Where the service's CPU time goes (node --cpu-prof, summarised by bench/lib/cpu-profile.ts): under cache-hit
 * load (50 connections, the benchmark's search), and over cold searches against carriers answering at once.
 * BENCH_SERVICE_MAIN may point at another build (another checkout's dist/main.js) to compare before and after.
 */
export async function profile(carriers: string[]): Promise<ProfileResult[]> {
  return [await profileOne(carriers, 'cache hits'), await profileOne(carriers, 'cold searches')];
}

async function profileOne(carriers: string[], workload: 'cache hits' | 'cold searches'): Promise<ProfileResult> {
  log(`profile: ${workload}`);
  const dir = mkdtempSync(join(tmpdir(), 'numbers-gateway-profile-'));
  const emulators = await startEmulators({ carriers });
  const env = serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: keyPrefix('profile') });
  env.NODE_OPTIONS = `${env.NODE_OPTIONS} --cpu-prof --cpu-prof-dir=${dir}`;
  const service = await startProcess(SERVICE_MAIN, env, '/health/ready');
  const readyAt = performance.now();
  let measuredFrom = readyAt;
  try {
    if (workload === 'cache hits') {
      await fetch(`${service.url}${QUERY}`, { headers: AUTH }).then((r) => r.arrayBuffer());
      await load(`${service.url}${QUERY}`, { connections: 50, seconds: 2, headers: AUTH });
      measuredFrom = performance.now();
      await load(`${service.url}${QUERY}`, { connections: 50, seconds: 10, headers: AUTH });
    } else {
      // Each (area code, limit) once: every search is a miss in Redis and asks every carrier.
      const areaCodes = ['415', '212', '312', '206'];
      await fetch(`${service.url}/numbers/available?countryCode=US&areaCode=617`, { headers: AUTH }).then((r) => r.arrayBuffer());
      measuredFrom = performance.now();
      for (let i = 0; i < 200; i++) {
        const url = `${service.url}/numbers/available?countryCode=US&areaCode=${areaCodes[i % 4]}&limit=${1 + Math.floor(i / 4)}`;
        await fetch(url, { headers: AUTH }).then((r) => r.arrayBuffer());
      }
    }
  } finally {
    await service.stop();
    await emulators.close();
  }
  // The profile's clock starts with the process: start-up and warm-up are left out.
  const skipMs = service.startupMs + (measuredFrom - readyAt);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written to ${dir}`);
  const { busyMs, shares } = summariseProfile(join(dir, file), skipMs);
  return { workload, busyMs, shares };
}
