import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startEmulators } from '../emulators/index';
import { type Bar, barChartSvg } from './lib/chart';
import { load, percentile } from './lib/load';
import { REFERENCE_MAIN, rssMb, SERVICE_MAIN, startProcess } from './lib/processes';

/**
 * `npm run bench`: measures the service against its targets on this machine and writes
 * bench/results/results.json, bench/results/chart.svg and the README's benchmark section.
 * BENCH_SECONDS (10) is the length of each throughput run, BENCH_SOAK_SECONDS (300) of the memory run;
 * BENCH_NODE_OPTIONS replaces the service's Node options (default: the Docker image's).
 * Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/0). Loopback only.
 */
const KEY = 'bench-key-0123456789';
const AUTH = { authorization: `Bearer ${KEY}` };
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 300);
const PROVIDER_LATENCY_MS = 50;
const QUERY = '/numbers/available?countryCode=US&areaCode=415&features=sms,voice&limit=10';
const root = join(__dirname, '..', '..', '..');

const log = (s: string) => process.stdout.write(`${s}\n`);
const prefix = (name: string) => `bench-${name}-${process.pid}-${Date.now()}`;

function serviceEnv(emulatorEnv: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...emulatorEnv,
    API_KEYS: `bench:${KEY}`,
    REDIS_URL,
    CACHE_TTL_SECONDS: '3600',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    // The Docker image's heap setting (Dockerfile): measured as deployed.
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '--max-old-space-size=128',
    ...extra,
  };
}

async function cacheHitThroughput(carriers: string[]) {
  log('1. cache-hit throughput: service vs. minimal Fastify + ioredis reference');
  const emulators = await startEmulators({ carriers });
  const service = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: prefix('hit') }), '/health/ready');
  const warm = await fetch(`${service.url}${QUERY}`, { headers: AUTH });
  const body = await warm.text();
  if (warm.status !== 200) throw new Error(`warm-up answered ${warm.status}: ${body}`);
  const redis = new Redis(REDIS_URL);
  const refPrefix = prefix('ref');
  await redis.set(`${refPrefix}:US:415:sms,voice:10`, body, 'EX', 3600);
  const reference = await startProcess(REFERENCE_MAIN, { REDIS_URL, API_KEY: KEY, CACHE_KEY_PREFIX: refPrefix }, '/health');
  const options = { connections: 50, seconds: SECONDS, headers: AUTH };
  await load(`${reference.url}${QUERY}`, { ...options, seconds: 2 });
  await load(`${service.url}${QUERY}`, { ...options, seconds: 2 });
  const ref = await load(`${reference.url}${QUERY}`, options);
  const svc = await load(`${service.url}${QUERY}`, options);
  await Promise.all([reference.stop(), service.stop(), emulators.close()]);
  await redis.quit();
  return { service: svc, reference: ref, ratio: svc.requestsPerSecond / ref.requestsPerSecond };
}

async function fanOutOverhead(carriers: string[]) {
  log(`2. fan-out overhead with ${carriers.length} providers answering after ${PROVIDER_LATENCY_MS} ms`);
  const emulators = await startEmulators({ carriers });
  for (const c of carriers) emulators.setBehaviour(c, { latencyMs: PROVIDER_LATENCY_MS });
  const service = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: prefix('fan') }), '/health/ready');
  const headers = { ...AUTH, 'cache-control': 'no-cache' };
  const latencies: number[] = [];
  for (let i = 0; i < 220; i++) {
    const started = performance.now();
    const res = await fetch(`${service.url}${QUERY}`, { headers });
    await res.arrayBuffer();
    if (i >= 20) latencies.push(performance.now() - started - PROVIDER_LATENCY_MS);
  }
  await Promise.all([service.stop(), emulators.close()]);
  return { providers: carriers.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

async function stampede(carriers: string[], instances: number) {
  log(`3. stampede: 200 concurrent identical cold searches on ${instances} instance(s)`);
  const emulators = await startEmulators({ carriers });
  for (const c of carriers) emulators.setBehaviour(c, { latencyMs: PROVIDER_LATENCY_MS });
  const keyPrefix = prefix('stampede');
  const services = await Promise.all(
    Array.from({ length: instances }, () => startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: keyPrefix }), '/health/ready')),
  );
  emulators.clearRequests();
  const statuses = await Promise.all(
    Array.from({ length: 200 }, (_, i) => fetch(`${services[i % instances].url}${QUERY}`, { headers: AUTH }).then((r) => r.status)),
  );
  const calls = Object.fromEntries(carriers.map((c) => [c, emulators.requests(c).length]));
  await Promise.all([...services.map((s) => s.stop()), emulators.close()]);
  return { instances, callsPerProvider: calls, maxCalls: Math.max(...Object.values(calls)), non200: statuses.filter((s) => s !== 200).length };
}

async function memory(carriers: string[]) {
  log(`4. memory: RSS after warm-up and after ${SOAK_SECONDS} s of mixed load`);
  const emulators = await startEmulators({ carriers });
  for (const c of carriers) emulators.setBehaviour(c, { latencyMs: 5 });
  const service = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env(), { REDIS_KEY_PREFIX: prefix('mem'), CACHE_TTL_SECONDS: '5' }), '/health/ready');
  const areaCodes = ['415', '212', '312', '206', '512', '617', '303', '919'];
  const paths = [
    ...areaCodes.map((a) => `/numbers/available?countryCode=US&areaCode=${a}&limit=20`),
    '/numbers/available?countryCode=GB&phoneNumberType=mobile',
    '/numbers/available?countryCode=CA&features=sms',
    '/numbers/available?countryCode=USA',
    '/numbers/available?countryCode=US&limit=99',
  ];
  const mixed = (seconds: number) =>
    import('autocannon').then(
      ({ default: autocannon }) =>
        new Promise<void>((resolve) => {
          autocannon(
            { url: service.url, connections: 20, duration: seconds, headers: AUTH, requests: paths.map((path) => ({ method: 'GET', path })) },
            () => resolve(),
          );
        }),
    );
  await mixed(20);
  const afterWarmUp = rssMb(service.child.pid!);
  const samples: number[] = [afterWarmUp];
  const soak = mixed(SOAK_SECONDS);
  const sampler = setInterval(() => samples.push(rssMb(service.child.pid!)), 10_000);
  await soak;
  clearInterval(sampler);
  const afterSoak = rssMb(service.child.pid!);
  samples.push(afterSoak);
  await Promise.all([service.stop(), emulators.close()]);
  return { afterWarmUpMb: afterWarmUp, afterSoakMb: afterSoak, maxMb: Math.max(...samples), soakSeconds: SOAK_SECONDS, samplesMb: samples };
}

async function startup(carriers: string[]) {
  log('5. start-up: process start to /health/ready 200 (median of 5)');
  const emulators = await startEmulators({ carriers });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env()), '/health/ready');
    times.push(s.startupMs);
    await s.stop();
  }
  await emulators.close();
  return { medianMs: percentile(times, 50), runsMs: times };
}

async function main(): Promise<void> {
  const { CARRIER_EMULATORS } = await import('../emulators/index');
  const all = CARRIER_EMULATORS.map((c) => c.name);
  if (all.length < 5) log(`note: only ${all.length} carrier emulators exist; the 5-provider run uses ${all.length}`);
  const two = all.slice(0, 2);
  const five = all.slice(0, 5);
  const machine = {
    date: new Date().toISOString().slice(0, 10),
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    redis: execSync('redis-server --version 2>/dev/null || true').toString().trim().split(' ').slice(0, 3).join(' '),
  };
  // One measurement alone, while working on it: BENCH_ONLY=cacheHit|fanOut|stampede|startup|memory.
  const only: Record<string, () => Promise<unknown>> = {
    cacheHit: () => cacheHitThroughput(two),
    fanOut: async () => [await fanOutOverhead(two), await fanOutOverhead(five)],
    stampede: async () => [await stampede(five, 1), await stampede(five, 2)],
    startup: () => startup(five),
    memory: () => memory(five),
  };
  if (process.env.BENCH_ONLY) {
    log(JSON.stringify(await only[process.env.BENCH_ONLY]()));
    return;
  }
  const results = {
    machine,
    cacheHit: await cacheHitThroughput(two),
    fanOut: [await fanOutOverhead(two), await fanOutOverhead(five)],
    stampede: [await stampede(five, 1), await stampede(five, 2)],
    startup: await startup(five),
    memory: await memory(five),
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const bars: Bar[] = [
    { label: 'cache-hit throughput vs reference', value: results.cacheHit.ratio, target: 0.75, lowerIsBetter: false, unit: '×' },
    { label: 'cache-hit p99 latency', value: results.cacheHit.service.p99Ms, target: 10, lowerIsBetter: true, unit: 'ms' },
    ...results.fanOut.map((f) => ({ label: `fan-out overhead p50, ${f.providers} providers`, value: f.p50Ms, target: 10, lowerIsBetter: true, unit: 'ms' })),
    ...results.stampede.map((s) => ({ label: `stampede calls/provider, ${s.instances} instance(s)`, value: s.maxCalls, target: 1, lowerIsBetter: true, unit: 'calls' })),
    { label: 'RSS after soak', value: results.memory.afterSoakMb, target: 150, lowerIsBetter: true, unit: 'MB' },
    { label: 'start-up to ready', value: results.startup.medianMs / 1000, target: 1.5, lowerIsBetter: true, unit: 's' },
  ];
  writeFileSync(join(dir, 'chart.svg'), barChartSvg(`numbers-gateway benchmarks, ${machine.date}, ${machine.cpu}, Node ${machine.node}`, bars));
  const table = renderTable(results);
  log(`\n${table}`);
  log(JSON.stringify(results));
  updateReadme(table, machine);
}

function renderTable(r: any): string {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const rows = [
    ['measure', 'result', 'target', 'met'],
    ['1. cache hit: service req/s (p50 / p99)', `${f(r.cacheHit.service.requestsPerSecond, 0)} (${f(r.cacheHit.service.p50Ms)} / ${f(r.cacheHit.service.p99Ms)} ms)`, '', ''],
    ['1. cache hit: reference req/s (p50 / p99)', `${f(r.cacheHit.reference.requestsPerSecond, 0)} (${f(r.cacheHit.reference.p50Ms)} / ${f(r.cacheHit.reference.p99Ms)} ms)`, '', ''],
    ['1. cache hit: throughput ratio', f(r.cacheHit.ratio, 2), '≥ 0.75', r.cacheHit.ratio >= 0.75 ? 'yes' : 'no'],
    ['1. cache hit: p99 latency', `${f(r.cacheHit.service.p99Ms)} ms`, '< 10 ms', r.cacheHit.service.p99Ms < 10 ? 'yes' : 'no'],
    ...r.fanOut.map((x: any) => [`2. fan-out overhead, ${x.providers} providers (p50 / p99)`, `${f(x.p50Ms)} / ${f(x.p99Ms)} ms`, '< 10 ms p50', x.p50Ms < 10 ? 'yes' : 'no']),
    ...r.stampede.map((x: any) => [`3. stampede, ${x.instances} instance(s): calls per provider`, `${x.maxCalls} (non-200: ${x.non200})`, '1', x.maxCalls === 1 ? 'yes' : 'no']),
    ['4. RSS after warm-up / after soak (max)', `${f(r.memory.afterWarmUpMb)} / ${f(r.memory.afterSoakMb)} (${f(r.memory.maxMb)}) MB, ${r.memory.soakSeconds} s`, '< 150 MB, flat', r.memory.maxMb < 150 ? 'yes' : 'no'],
    ['5. start-up to /health/ready (median of 5)', `${f(r.startup.medianMs, 0)} ms`, '< 1500 ms', r.startup.medianMs < 1500 ? 'yes' : 'no'],
  ];
  return rows.map((row, i) => `| ${row.join(' | ')} |${i === 0 ? `\n|${' --- |'.repeat(row.length)}` : ''}`).join('\n');
}

function updateReadme(table: string, machine: Record<string, unknown>): void {
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (!readme.includes(start) || !readme.includes(end)) return;
  const section = [
    start,
    `Measured ${machine.date} on ${machine.cpu}, ${machine.memoryGb} GiB, Node ${machine.node}, ${machine.redis}, all on loopback.`,
    '',
    table,
    '',
    '![benchmark chart](bench/results/chart.svg)',
    end,
  ].join('\n');
  writeFileSync(path, readme.replace(new RegExp(`${start}[\\s\\S]*${end}`), section));
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`benchmark failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
