import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { type Bar, barChartSvg } from './lib/chart';
import { OtlpSink } from './lib/otlp-sink';
import { imageNodeOptions, log } from './lib/setup';
import { cacheHit, type CacheHitResult, type CacheHitVariant } from './measures/cache-hit';
import { fanOut, type FanOutResult } from './measures/fan-out';
import { memory, type MemoryResult } from './measures/memory';
import { orders, type OrdersResult } from './measures/orders';
import { profile, type ProfileResult } from './measures/profile';
import { stampede, type StampedeResult } from './measures/stampede';
import { startup } from './measures/startup';

/**
 * `npm run bench`: measures the service against its targets on this machine and writes
 * bench/results/results.json, bench/results/chart.svg and the README's benchmark section.
 * BENCH_SECONDS (10) is the length of a throughput round, BENCH_ROUNDS (5) the number of alternating rounds,
 * BENCH_DISTINCT_SEARCHES (10000) the memory run (BENCH_MEMORY_REDIS=off: without Redis, every carrier answer kept
 * in process); BENCH_NODE_OPTIONS replaces the service's Node options (default: the Docker image's, read from its
 * Dockerfile). BENCH_ONLY=<name> runs one measurement and prints it (nothing is written);
 * BENCH_ONLY=tracing runs cache hits with tracing off and on. BENCH_ORDERS (200) is the number of orders of the
 * orders measurement, BENCH_DATABASE_URL its PostgreSQL (PGlite in memory when unset).
 * Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/0). Loopback only.
 */
const root = join(__dirname, '..', '..', '..');

const NO_LIMIT: CacheHitVariant = { name: 'no usage limit', env: {} };
const WITH_LIMIT: CacheHitVariant = { name: 'usage limit set', env: { USAGE_LIMIT_REQUESTS: '1000000000', USAGE_LIMIT_WINDOW_SECONDS: '3600' } };

/** The cache-hit run with traces exported (OTLP/HTTP, protobuf) to a receiver of the benchmark's own. */
interface TracingResult extends CacheHitResult {
  /** What reached the receiver: every request's server span, unless the batch queue dropped some. */
  exported: { requests: number; bytes: number; serverSpans: number };
}

interface Results {
  machine: Record<string, string | number>;
  cacheHit: CacheHitResult[];
  /** Cache hits with tracing on, every search and one in ten sampled, compared with cacheHit[0] (tracing off). */
  tracing: TracingResult[];
  fanOut: FanOutResult;
  stampede: StampedeResult[];
  startup: { medianMs: number; runsMs: number[] };
  memory: MemoryResult;
  orders: OrdersResult;
  /** Where the service's CPU time goes, under cache hits and over cold searches. */
  profile: ProfileResult[];
}

/** Targets, in one place: the table, the chart and the README read them from here. */
const TARGETS = {
  cacheHitNoLimit: 1.0,
  cacheHitWithLimit: 0.9,
  fanOutP50Ms: 3,
  fanOutP99Ms: 8,
  rssMb: 150,
  startupMs: 1500,
};

async function main(): Promise<void> {
  const { CARRIER_EMULATORS } = await import('../emulators/index');
  const all = CARRIER_EMULATORS.map((c) => c.name);
  const two = all.slice(0, 2);
  const five = all.slice(0, 5);
  const machine = {
    date: new Date().toISOString().slice(0, 10),
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    redis: execSync('redis-server --version 2>/dev/null || true').toString().trim().split(' ').slice(0, 3).join(' '),
  };
  const only: Record<string, () => Promise<unknown>> = {
    cacheHit: async () => [await cacheHit(two, NO_LIMIT), await cacheHit(two, WITH_LIMIT)],
    tracing: async () => {
      const off = await cacheHit(two, NO_LIMIT);
      const on = await tracedRuns(two);
      return { off, on: on.map((r) => ({ ...r, ratioToOff: r.ratio / off.ratio })) };
    },
    fanOut: () => fanOut(five),
    stampede: async () => [await stampede(five, 1), await stampede(five, 2)],
    startup: () => startup(five),
    memory: () => memory(five),
    orders: () => orders(),
    profile: () => profile(two),
  };
  if (process.env.BENCH_ONLY) {
    const measure = only[process.env.BENCH_ONLY];
    if (!measure) throw new Error(`BENCH_ONLY must be one of ${Object.keys(only).join(', ')}`);
    log(JSON.stringify(await measure(), null, 2));
    return;
  }
  const results: Results = {
    machine,
    cacheHit: [await cacheHit(two, NO_LIMIT), await cacheHit(two, WITH_LIMIT)],
    tracing: await tracedRuns(two),
    fanOut: await fanOut(five),
    stampede: [await stampede(five, 1), await stampede(five, 2)],
    startup: await startup(five),
    memory: await memory(five),
    orders: await orders(),
    profile: await profile(two),
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'chart.svg'), barChartSvg(`numbers-gateway benchmarks, ${machine.date}, ${machine.cpu}, Node ${machine.node}`, bars(results)));
  const table = renderTable(results);
  log(`\n${table}`);
  updateReadme(table, machine, results);
}

/**
 * The cache-hit run with traces exported as the service's defaults do it (protobuf, batches of 512) to a
 * receiver in this process that answers at once, so the cost measured is the service's own: every search
 * sampled (the default sampler, parentbased_always_on), then one in ten (parentbased_traceidratio 0.1).
 */
async function tracedRuns(carriers: string[]): Promise<TracingResult[]> {
  return [
    await cacheHitTraced(carriers, 'tracing on, every search sampled', {}),
    await cacheHitTraced(carriers, 'tracing on, 1 search in 10 sampled', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
  ];
}

async function cacheHitTraced(carriers: string[], name: string, env: Record<string, string>): Promise<TracingResult> {
  const sink = new OtlpSink('GET /numbers/available');
  const endpoint = await sink.listen();
  try {
    const result = await cacheHit(carriers, { name, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, ...env } });
    return { ...result, exported: { requests: sink.exports, bytes: sink.bytes, serverSpans: sink.spans } };
  } finally {
    await sink.close();
  }
}

function bars(r: Results): Bar[] {
  const [noLimit, withLimit] = r.cacheHit;
  return [
    { label: 'cache hit vs bare server, no usage limit', value: noLimit.ratio, target: TARGETS.cacheHitNoLimit, lowerIsBetter: false, unit: '×' },
    { label: 'cache hit vs bare server, usage limit set', value: withLimit.ratio, target: TARGETS.cacheHitWithLimit, lowerIsBetter: false, unit: '×' },
    { label: `fan-out overhead p50, ${r.fanOut.providers} providers`, value: r.fanOut.p50Ms, target: TARGETS.fanOutP50Ms, lowerIsBetter: true, unit: 'ms' },
    { label: `fan-out overhead p99, ${r.fanOut.providers} providers`, value: r.fanOut.p99Ms, target: TARGETS.fanOutP99Ms, lowerIsBetter: true, unit: 'ms' },
    ...r.stampede.map((s) => ({ label: `stampede calls/provider, ${s.instances} instance(s)`, value: s.maxCalls, target: 1, lowerIsBetter: true, unit: 'calls' })),
    { label: `RSS after ${r.memory.distinctSearches} distinct searches`, value: r.memory.maxMb, target: TARGETS.rssMb, lowerIsBetter: true, unit: 'MB' },
    { label: 'start-up to ready', value: r.startup.medianMs / 1000, target: TARGETS.startupMs / 1000, lowerIsBetter: true, unit: 's' },
  ];
}

function renderTable(r: Results): string {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const met = (ok: boolean) => (ok ? 'yes' : 'no');
  const hitRows = r.cacheHit.flatMap((h, i) => {
    const target = i === 0 ? TARGETS.cacheHitNoLimit : TARGETS.cacheHitWithLimit;
    return [
      [
        `1. cache hit, ${h.variant}: service / bare server req/s (p99)`,
        `${f(h.service.requestsPerSecond, 0)} (${f(h.service.p99Ms)} ms) / ${f(h.reference.requestsPerSecond, 0)} (${f(h.reference.p99Ms)} ms)`,
        '',
        '',
      ],
      [
        `1. cache hit, ${h.variant}: ratio, median of ${h.rounds} alternating rounds (spread)`,
        `${f(h.ratio, 2)} (${f(h.ratioMin, 2)}–${f(h.ratioMax, 2)})`,
        `≥ ${f(target, 2)}`,
        met(h.ratio >= target),
      ],
    ];
  });
  const off = r.cacheHit[0];
  // Each run's ratio to the bare server, measured in alternating rounds: drift of the machine between the
  // runs with and without tracing cancels out of their quotient.
  const tracingRows = r.tracing.map((on) => [
    `1. cache hit, ${on.variant} (OTLP/HTTP to a local receiver): req/s (p99), relative to tracing off; server spans exported`,
    `${f(on.service.requestsPerSecond, 0)} (${f(on.service.p99Ms)} ms), ${f(on.ratio / off.ratio, 2)}; ${on.exported.serverSpans} of ${on.serviceRequests} searches`,
    '',
    '',
  ]);
  const rows = [
    ['measure', 'result', 'target', 'met'],
    ...hitRows,
    ...tracingRows,
    [
      `2. fan-out overhead over the slowest carrier, ${r.fanOut.providers} providers, Redis on, cold cache (p50 / p90 / p99)`,
      `${f(r.fanOut.p50Ms)} / ${f(r.fanOut.p90Ms)} / ${f(r.fanOut.p99Ms)} ms`,
      `≤ ${TARGETS.fanOutP50Ms} / – / ≤ ${TARGETS.fanOutP99Ms} ms`,
      met(r.fanOut.p50Ms <= TARGETS.fanOutP50Ms && r.fanOut.p99Ms <= TARGETS.fanOutP99Ms),
    ],
    [
      `2. the same searches' latency minus the nominal ${r.fanOut.carrierLatencyMs} ms (p50 / p90 / p99)`,
      `${f(r.fanOut.nominal.p50Ms)} / ${f(r.fanOut.nominal.p90Ms)} / ${f(r.fanOut.nominal.p99Ms)} ms`,
      '',
      '',
    ],
    ...r.stampede.map((x) => [`3. stampede, ${x.instances} instance(s): calls per provider`, `${x.maxCalls} (non-200: ${x.non200})`, '1', met(x.maxCalls === 1)]),
    [
      `4. RSS after warm-up / after ${r.memory.distinctSearches} distinct searches (max; heap used)`,
      `${f(r.memory.afterWarmUpMb)} / ${f(r.memory.afterDistinctMb)} MB (${f(r.memory.maxMb)}; ${f(r.memory.heapUsedAfterMb)} MB)`,
      `≤ ${TARGETS.rssMb} MB`,
      met(r.memory.maxMb <= TARGETS.rssMb),
    ],
    ['5. start-up to /health/ready (median of 5)', `${f(r.startup.medianMs, 0)} ms`, `< ${TARGETS.startupMs} ms`, met(r.startup.medianMs < TARGETS.startupMs)],
    [
      `6. orders from ${r.orders.carrier}, ${r.orders.concurrency} at a time, ledger ${r.orders.ledger}: orders/s (p50 / p99)`,
      `${f(r.orders.ordersPerSecond, 0)} (${f(r.orders.p50Ms)} / ${f(r.orders.p99Ms)} ms); ${r.orders.completed}/${r.orders.orders} completed`,
      'every order completed, no number bought twice',
      met(r.orders.completed === r.orders.orders && r.orders.boughtTwice === 0),
    ],
  ];
  return rows.map((row, i) => `| ${row.join(' | ')} |${i === 0 ? `\n|${' --- |'.repeat(row.length)}` : ''}`).join('\n');
}

/** Where the CPU time goes, one column per workload: the parts named in either, in percent of busy time. */
function profileTable(profiles: ProfileResult[]): string {
  const parts = [...new Set(profiles.flatMap((p) => p.shares.map((s) => s.where)))];
  const cell = (p: ProfileResult, where: string) => {
    const share = p.shares.find((s) => s.where === where);
    return share ? `${share.percent.toFixed(1)} %` : '';
  };
  const header = `| where the service's CPU time goes (node --cpu-prof, busy time) | ${profiles.map((p) => `${p.workload} (${p.busyMs.toFixed(0)} ms)`).join(' | ')} |`;
  const rule = `|${' --- |'.repeat(profiles.length + 1)}`;
  const rows = parts.filter((w) => w !== 'everything else').concat('everything else').map((w) => `| ${w} | ${profiles.map((p) => cell(p, w)).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

function updateReadme(table: string, machine: Record<string, unknown>, results: Results): void {
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (!readme.includes(start) || !readme.includes(end)) return;
  const section = [
    start,
    `Measured ${machine.date} on ${machine.cpu}, ${machine.memoryGb} GiB, Node ${machine.node}, ${machine.redis}, all on loopback;`,
    `the service runs with the Docker image's Node options (\`${process.env.BENCH_NODE_OPTIONS ?? imageNodeOptions()}\`).`,
    '',
    table,
    '',
    profileTable(results.profile),
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
