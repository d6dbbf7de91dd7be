import autocannon from 'autocannon';
import type { Fault } from '../emulators/index';
import { startEmulators } from '../emulators/index';
import { rssMb, SERVICE_MAIN, startProcess } from '../bench/lib/processes';
import { imageNodeOptions } from '../bench/lib/setup';

/**
 * `npm run soak`: holds a mixed load against the service for SOAK_SECONDS (default 180) while every
 * carrier emulator injects random faults, then reports answers by status, transport errors and memory
 * growth. Not part of `npm test`. Uses REDIS_URL when set. Loopback only; stops by itself.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const KEY = 'soak-key-0123456789';
const FAULTS: Fault[] = [
  { type: 'error', status: 500 },
  { type: 'rate_limit', retryAfterSeconds: 1 },
  { type: 'reset' },
  { type: 'truncated' },
  { type: 'hang' },
  { type: 'garbage' },
  { type: 'html' },
  { type: 'oversized', bytes: 2 * 1024 * 1024 },
];

async function main(): Promise<void> {
  const emulators = await startEmulators();
  const carriers = emulators.carrierNames();
  const service = await startProcess(
    SERVICE_MAIN,
    {
      ...emulators.env(),
      API_KEYS: `soak:${KEY}`,
      CACHE_TTL_SECONDS: '2',
      PROVIDER_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      // The Docker image's Node options (its Dockerfile's NODE_OPTIONS): soaked as deployed.
      NODE_OPTIONS: imageNodeOptions(),
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `soak-${Date.now()}` } : {}),
    },
    '/health/ready',
  );
  // Every 5 s each carrier gets a new random fault, hitting a random share of its requests.
  let tick = 0;
  const shuffle = setInterval(() => {
    tick++;
    for (const c of carriers) {
      const fault = FAULTS[Math.floor(Math.random() * FAULTS.length)];
      emulators.setBehaviour(c, { fault, faultRate: Math.random() * 0.5, latencyMs: Math.floor(Math.random() * 50) });
    }
  }, 5000);
  const paths = ['US&areaCode=415', 'US&areaCode=212&features=sms', 'CA', 'GB&phoneNumberType=mobile', 'DE&areaCode=30', 'AU', 'US&phoneNumberType=toll_free', 'USA', 'US&limit=99']
    .map((q) => ({ method: 'GET' as const, path: `/numbers/available?countryCode=${q}` }));
  const rssStart = rssMb(service.child.pid!);
  const samples: number[] = [rssStart];
  const sampler = setInterval(() => samples.push(rssMb(service.child.pid!)), 10_000);
  const result = await autocannon({
    url: service.url,
    connections: 20,
    duration: SECONDS,
    headers: { authorization: `Bearer ${KEY}` },
    requests: paths,
  });
  clearInterval(shuffle);
  clearInterval(sampler);
  const rssEnd = rssMb(service.child.pid!);
  const live = await fetch(`${service.url}/health/live`).then((r) => r.status, () => 0);
  await service.stop();
  await emulators.close();
  const report = {
    seconds: SECONDS,
    requests: result.requests.total,
    statusCodes: result.statusCodeStats,
    transportErrors: result.errors,
    timeouts: result.timeouts,
    p99Ms: result.latency.p99,
    rssStartMb: Math.round(rssStart),
    rssEndMb: Math.round(rssEnd),
    rssMaxMb: Math.round(Math.max(...samples, rssEnd)),
    rssSamplesMb: samples.map((x) => Math.round(x)),
    faultRounds: tick,
    liveAfter: live,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const fiveHundreds = Object.keys(result.statusCodeStats ?? {}).filter((s) => s === '500' || s === '503' || s === '504');
  process.exit(fiveHundreds.length === 0 && result.errors === 0 && live === 200 ? 0 : 1);
}

void main().catch((e: unknown) => {
  process.stderr.write(`soak failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
