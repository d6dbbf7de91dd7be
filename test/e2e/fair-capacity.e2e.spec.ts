import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { OTHER_KEY, TEST_KEY } from '../support/app';
import { eventually } from '../support/redis';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';

/**
 * A noisy client cannot take a carrier's capacity from a quiet one. The service runs as a real process
 * against the emulators, with carriers slowed down and a small PROVIDER_MAX_CONCURRENCY; the noisy client
 * (billing, allowed to bypass the cache) fills every slot of every carrier with a burst of distinct
 * searches, and the quiet client (crm) searches in the middle of it.
 */
const CARRIERS = ['telnyx', 'twilio'];
const CAPACITY = 4;
const LATENCY_MS = 1500;
const QUIET_QUERIES = ['countryCode=US&areaCode=212&limit=5', 'countryCode=US&areaCode=312&limit=5', 'countryCode=US&areaCode=415&limit=5'];
const BURST = 40;

let emu: EmulatorServer;
let service: ServiceProcess;

beforeAll(async () => {
  emu = await startEmulators({ carriers: CARRIERS });
  service = await startServiceProcess({
    ...emu.env(),
    API_KEYS: `billing:${TEST_KEY},crm:${OTHER_KEY}`,
    CACHE_BYPASS_CLIENTS: 'billing',
    PROVIDER_MAX_CONCURRENCY: String(CAPACITY),
    // Budgets wide enough that a call can wait one slow carrier call for its slot and still be made.
    PROVIDER_TIMEOUT_MS: '8000',
    REQUEST_TIMEOUT_MS: '10000',
    PROVIDER_MAX_RETRIES: '0',
    CIRCUIT_BREAKER_THRESHOLD: '1000',
    LOG_LEVEL: 'warn',
  });
}, 60_000);
afterAll(async () => {
  await service?.kill();
  await emu?.close();
});

interface Answer {
  status: number;
  providerErrors: string | null;
  cache: string | null;
  numbers: string[];
}

async function searchAs(key: string, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${service.url}/numbers/available?${query}`, { headers: { authorization: `Bearer ${key}`, ...headers } });
  const body = (await res.json()) as { numbers?: { phoneNumber: string }[] };
  return {
    status: res.status,
    providerErrors: res.headers.get('x-provider-errors'),
    cache: res.headers.get('x-cache'),
    numbers: (body.numbers ?? []).map((n) => n.phoneNumber),
  };
}

it('leaves a quiet client its answers while a noisy client bursts past every carrier capacity', async () => {
  for (const c of CARRIERS) emu.setBehaviour(c, { latencyMs: LATENCY_MS });
  // The noisy client: distinct queries (so nothing is coalesced), each asking the carriers afresh.
  const burst = Promise.all(
    Array.from({ length: BURST }, (_, i) => searchAs(TEST_KEY, `countryCode=US&areaCode=646&limit=${i + 1}`, { 'cache-control': 'no-cache' })),
  );
  // Every slot of every carrier is taken before the quiet client comes.
  expect(await eventually(() => CARRIERS.every((c) => emu.openRequests(c) >= CAPACITY), 400, 25)).toBe(true);
  const quiet = await Promise.all(QUIET_QUERIES.map((q) => searchAs(OTHER_KEY, q)));
  const noisy = await burst;

  // No slot went past the capacity, and the burst did not get everything it asked for.
  expect(CARRIERS.map((c) => emu.requests(c).length).every((n) => n < BURST)).toBe(true);
  expect(noisy.some((a) => a.status === 502 || (a.providerErrors ?? '').includes('overloaded'))).toBe(true);

  // The quiet client's answers, as it gets them with no burst going on (asked afresh by the client that may bypass).
  for (const c of CARRIERS) emu.setBehaviour(c, { latencyMs: 0 });
  const alone = await Promise.all(QUIET_QUERIES.map((q) => searchAs(TEST_KEY, q, { 'cache-control': 'no-cache' })));
  expect(alone.map((a) => [a.status, a.providerErrors, a.numbers.length > 0])).toEqual(QUIET_QUERIES.map(() => [200, null, true]));

  expect(quiet.map((a) => ({ status: a.status, providerErrors: a.providerErrors, cache: a.cache }))).toEqual(
    QUIET_QUERIES.map(() => ({ status: 200, providerErrors: null, cache: 'MISS' })),
  );
  expect(quiet.map((a) => a.numbers)).toEqual(alone.map((a) => a.numbers));

  // The quiet client's calls waited for their slots (counted), the noisy client's excess was refused.
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  for (const c of CARRIERS) {
    expect(metrics).toMatch(new RegExp(`provider_capacity_waits_total\\{provider="${c}",outcome="started"\\} \\d+`));
    expect(metrics).toMatch(new RegExp(`provider_capacity_waits_total\\{provider="${c}",outcome="queue_full"\\} \\d+`));
  }
}, 60_000);
