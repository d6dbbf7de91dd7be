import { startEmulators } from '../../emulators/index';
import { SERVICE_MAIN, startProcess } from '../lib/processes';
import { AUTH, keyPrefix, log, QUERY, serviceEnv } from '../lib/setup';

export interface StampedeResult {
  instances: number;
  callsPerProvider: Record<string, number>;
  maxCalls: number;
  non200: number;
}

/** 200 concurrent identical cold searches: each carrier must be asked once, across every instance. */
export async function stampede(carriers: string[], instances: number): Promise<StampedeResult> {
  log(`3. stampede: 200 concurrent identical cold searches on ${instances} instance(s)`);
  const emulators = await startEmulators({ carriers });
  for (const c of carriers) emulators.setBehaviour(c, { latencyMs: 50 });
  const prefix = keyPrefix('stampede');
  const services = await Promise.all(
    Array.from({ length: instances }, () => startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: prefix }), '/health/ready')),
  );
  try {
    emulators.clearRequests();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fetch(`${services[i % instances].url}${QUERY}`, { headers: AUTH }).then((r) => r.status)),
    );
    const calls = Object.fromEntries(carriers.map((c) => [c, emulators.requests(c).length]));
    return { instances, callsPerProvider: calls, maxCalls: Math.max(...Object.values(calls)), non200: statuses.filter((s) => s !== 200).length };
  } finally {
    await Promise.all([...services.map((s) => s.stop()), emulators.close()]);
  }
}
