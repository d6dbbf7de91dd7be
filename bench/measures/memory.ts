import { startEmulators } from '../../emulators/index';
import { rssMb, SERVICE_MAIN, startProcess } from '../lib/processes';
import { AUTH, keyPrefix, log, serviceEnv } from '../lib/setup';

export const DISTINCT_SEARCHES = Number(process.env.BENCH_DISTINCT_SEARCHES ?? 10_000);
const CONCURRENCY = 16;

export interface MemoryResult {
  distinctSearches: number;
  afterWarmUpMb: number;
  afterDistinctMb: number;
  maxMb: number;
  heapUsedAfterMb: number;
  /** The heap V8 holds (used or not) and the memory outside it (buffers), after the distinct searches. */
  heapTotalAfterMb: number;
  externalAfterMb: number;
  /** What the in-process memos hold by estimate (memo_bytes summed), and their budget (memo_budget_bytes). */
  memosMb: number;
  memoBudgetMb: number;
  non200: number;
  seconds: number;
}

/** Distinct searches in the emulated world: every area code, feature set, type and limit the carriers can serve. */
function distinctPaths(count: number): string[] {
  const featureSets = ['', 'sms', 'voice', 'mms', 'fax', 'sms,voice', 'sms,mms', 'voice,fax', 'sms,mms,voice', 'sms,voice,fax'];
  const places = [
    ...['415', '212', '312', '206', '512', '617', '303', '919', '628'].map((a) => `countryCode=US&areaCode=${a}`),
    'countryCode=US&phoneNumberType=toll_free',
    ...['416', '604', '514', '403', '613'].map((a) => `countryCode=CA&areaCode=${a}`),
    ...['20', '161', '121', '131', '113'].map((a) => `countryCode=GB&areaCode=${a}`),
    'countryCode=GB&phoneNumberType=mobile',
    ...['30', '89', '40', '69'].map((a) => `countryCode=DE&areaCode=${a}`),
  ];
  const paths: string[] = [];
  for (let limit = 1; limit <= 50 && paths.length < count; limit++) {
    for (const place of places) {
      for (const features of featureSets) {
        if (paths.length >= count) break;
        paths.push(`/numbers/available?${place}${features ? `&features=${features}` : ''}&limit=${limit}`);
      }
    }
  }
  return paths;
}

async function heapAndMemosMb(
  url: string,
): Promise<{ heapUsedAfterMb: number; heapTotalAfterMb: number; externalAfterMb: number; memosMb: number; memoBudgetMb: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const mb = (name: string) => {
    const m = new RegExp(`^${name} (\\d+(?:\\.\\d+)?)`, 'm').exec(text);
    return m ? Number(m[1]) / 2 ** 20 : Number.NaN;
  };
  const memos = [...text.matchAll(/^memo_bytes\{memo="[^"]+"\} (\d+(?:\.\d+)?)/gm)].reduce((sum, m) => sum + Number(m[1]), 0) / 2 ** 20;
  return {
    heapUsedAfterMb: mb('nodejs_heap_size_used_bytes'),
    heapTotalAfterMb: mb('nodejs_heap_size_total_bytes'),
    externalAfterMb: mb('nodejs_external_memory_bytes'),
    memosMb: memos,
    memoBudgetMb: mb('memo_budget_bytes'),
  };
}

/**
 * RSS as deployed (the Docker image's Node options): after a warm-up, then after DISTINCT_SEARCHES distinct
 * searches (each one a cache miss that fills every in-process store the service has), sampled every second.
 */
export async function memory(carriers: string[]): Promise<MemoryResult> {
  log(`4. memory: RSS after warm-up and after ${DISTINCT_SEARCHES} distinct searches`);
  const emulators = await startEmulators({ carriers });
  // BENCH_MEMORY_REDIS=off: without Redis, so carriers' answers are kept in process too (the carrierAnswers memo).
  const withoutRedis: Record<string, string> = process.env.BENCH_MEMORY_REDIS === 'off' ? { REDIS_URL: '' } : {};
  const service = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: keyPrefix('mem'), ...withoutRedis }), '/health/ready');
  const paths = distinctPaths(DISTINCT_SEARCHES);
  if (paths.length < DISTINCT_SEARCHES) throw new Error(`only ${paths.length} distinct searches could be built`);
  let non200 = 0;
  const run = async (list: string[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < list.length) {
          const path = list[next++];
          const res = await fetch(`${service.url}${path}`, { headers: AUTH });
          await res.arrayBuffer();
          if (res.status !== 200) non200++;
        }
      }),
    );
  };
  try {
    // Warm-up: the same 200 searches twice (misses, then hits), so code paths are compiled and pools exist.
    await run(paths.slice(0, 200));
    await run(paths.slice(0, 200));
    const afterWarmUp = rssMb(service.child.pid!);
    const samples = [afterWarmUp];
    const sampler = setInterval(() => samples.push(rssMb(service.child.pid!)), 1000);
    const started = performance.now();
    await run(paths);
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const afterDistinct = rssMb(service.child.pid!);
    samples.push(afterDistinct);
    return {
      distinctSearches: paths.length,
      afterWarmUpMb: afterWarmUp,
      afterDistinctMb: afterDistinct,
      maxMb: Math.max(...samples),
      ...(await heapAndMemosMb(service.url)),
      non200,
      seconds,
    };
  } finally {
    await Promise.all([service.stop(), emulators.close()]);
  }
}
