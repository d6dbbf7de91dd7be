import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { TEST_KEY } from '../support/app';
import { imageNodeOptions, startServiceProcess, type ServiceProcess } from '../support/service-process';

/**
 * Bounded memory as deployed: the service as a real process with the Docker image's Node options, no Redis (every
 * carrier answer is kept in process), and a carrier that answers every search with about 1 MiB of numbers that
 * all match it (the emulators' flood fault). Hundreds of distinct searches must neither crash the process (a heap
 * out of memory) nor take the memos past their budget: each carrier answer is trimmed to what a search can return
 * before it is cached, and every memo is bounded by bytes.
 */
const SEARCHES = 250;
const CONCURRENCY = 4;

/** Distinct searches the flood answers: one area code, every limit and feature set (800 of them). */
function distinctQueries(count: number): string[] {
  const featureSets = ['', 'sms', 'mms', 'voice', 'fax', 'sms,mms', 'sms,voice', 'sms,fax', 'mms,voice', 'mms,fax', 'voice,fax', 'sms,mms,voice', 'sms,mms,fax', 'sms,voice,fax', 'mms,voice,fax', 'sms,mms,voice,fax'];
  const out: string[] = [];
  for (let limit = 1; limit <= 50 && out.length < count; limit++) {
    for (const features of featureSets) {
      if (out.length < count) out.push(`countryCode=US&areaCode=415&limit=${limit}${features ? `&features=${features}` : ''}`);
    }
  }
  return out;
}

function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  if (line === undefined) throw new Error(`no ${name}${labels} in /metrics`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('memory under carrier answers of 1 MiB (real process, the image\'s Node options, no Redis)', () => {
  let emu: EmulatorServer;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    emu = await startEmulators({ carriers: ['telnyx'] });
    emu.setBehaviour('telnyx', { fault: { type: 'flood' }, faultOn: ['search'] });
  });
  afterAll(async () => {
    await service?.kill();
    await emu.close();
  });

  it(`answers ${SEARCHES} distinct searches, stays alive, and keeps its memos within the budget`, async () => {
    service = await startServiceProcess({
      ...emu.env(),
      NODE_OPTIONS: imageNodeOptions(),
      NODE_ENV: 'production',
      API_KEYS: `t:${TEST_KEY}`,
      CACHE_TTL_SECONDS: '3600',
      REQUEST_TIMEOUT_MS: '20000',
      PROVIDER_TIMEOUT_MS: '15000',
      PROVIDER_MAX_RETRIES: '0',
      CIRCUIT_BREAKER_THRESHOLD: '1000',
      LOG_LEVEL: 'warn',
    });
    const { url } = service;
    const queries = distinctQueries(SEARCHES);
    expect(new Set(queries).size).toBe(SEARCHES);
    const statuses = new Map<number, number>();
    const oversized: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < queries.length) {
          const qs = queries[next++];
          const res = await fetch(`${url}/numbers/available?${qs}`, { headers: { authorization: `Bearer ${TEST_KEY}` } }).catch(() => undefined);
          const status = res?.status ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (res === undefined) continue;
          const body = (await res.json()) as { numbers?: unknown[] };
          const limit = Number(new URLSearchParams(qs).get('limit'));
          if (status === 200 && (body.numbers?.length ?? -1) !== limit) oversized.push(`${qs}: ${body.numbers?.length}`);
        }
      }),
    );
    // The carrier sent thousands of matching numbers each time: every search got exactly its limit.
    expect({ statuses: Object.fromEntries(statuses), exited: service.child.exitCode }).toEqual({ statuses: { 200: SEARCHES }, exited: null });
    expect(oversized).toEqual([]);
    expect(service.output()).not.toMatch(/heap out of memory/i);

    const text = await (await fetch(`${url}/metrics`)).text();
    const budget = metric(text, 'memo_budget_bytes');
    const held = [...text.matchAll(/^memo_bytes\{memo="[^"]+"\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    const heapUsed = metric(text, 'nodejs_heap_size_used_bytes');
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(budget);
    // The whole heap, garbage included, stays well below what the image's options allow (about 134 MB).
    process.stdout.write(`memory e2e: heap used ${(heapUsed / 2 ** 20).toFixed(1)} MB, memos ${(held / 2 ** 20).toFixed(1)} of ${(budget / 2 ** 20).toFixed(1)} MB\n`);
    expect(heapUsed).toBeLessThan(128 * 2 ** 20);
    // Each carrier answer kept was trimmed to the search's limit: thousands of numbers were judged inexact or
    // never judged, none was cached.
    expect(metric(text, 'cache_lookups_total', '{result="miss"}')).toBe(SEARCHES);
  }, 600_000);
});
