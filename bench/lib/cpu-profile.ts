import { readFileSync } from 'node:fs';

/** A V8 CPU profile (.cpuprofile, as `node --cpu-prof` writes it). */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  where: string;
  percent: number;
}

/**
 * Where the busy time of a profile went, by self time, grouped into parts a reader knows (the service's own
 * folders, each library, Node's HTTP stack, the kernel writes, the garbage collector), busy time only (idle
 * excluded), after the first `skipMs` (start-up), largest first.
 */
export function summariseProfile(path: string, skipMs: number): { busyMs: number; shares: ProfileShare[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let clock = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    clock += dt;
    if (clock < skipMs * 1000) return;
    const node = nodes.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    busy += dt;
    const part = partOf(node.callFrame.url, node.callFrame.functionName);
    totals.set(part, (totals.get(part) ?? 0) + dt);
  });
  const sorted = [...totals].map(([where, us]) => ({ where, percent: (100 * us) / busy })).sort((a, b) => b.percent - a.percent);
  const shares = sorted.slice(0, TOP);
  const rest = sorted.slice(TOP).reduce((sum, s) => sum + s.percent, 0);
  if (rest > 0) shares.push({ where: 'everything else', percent: rest });
  return { busyMs: busy / 1000, shares };
}

/** Parts named one by one; the rest is summed up. */
const TOP = 14;

const LIBRARIES: [RegExp, string][] = [
  [/node_modules\/(fastify|find-my-way|avvio|light-my-request|fast-querystring|fast-json-stringify|@fastify\/)/, 'Fastify'],
  [/node_modules\/@nestjs\//, 'Nest'],
  [/node_modules\/(pino|sonic-boom|nestjs-pino|pino-std-serializers|fast-redact)/, 'logging (pino)'],
  [/node_modules\/prom-client/, 'metrics (prom-client)'],
  [/node_modules\/(ioredis|redis-parser|@ioredis\/)/, 'Redis client (ioredis)'],
  [/node_modules\/(axios|follow-redirects|form-data|proxy-from-env)/, 'carrier HTTP client (axios)'],
  [/node_modules\/(libphonenumber-js|libphonenumber-geo-carrier)/, 'phone numbers (libphonenumber)'],
  [/node_modules\/(class-validator|class-transformer)/, 'validation (class-validator)'],
  [/node_modules\/fast-xml-parser/, 'XML (fast-xml-parser)'],
  [/node_modules\/@opentelemetry\//, 'tracing (OpenTelemetry)'],
];

function partOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'garbage collector';
  if (/^write(Utf8|Latin1|Buffer|String)/.test(fn) || fn === 'writev' || fn === 'writeString') return 'socket and stdout writes (kernel)';
  if (!url) return fn.startsWith('RegExp:') ? 'regular expressions' : 'V8 and native code';
  for (const [pattern, name] of LIBRARIES) if (pattern.test(url)) return name;
  const dist = /\/dist\/([^/]+)\//.exec(url);
  if (dist && !url.includes('node_modules')) return `service: src/${dist[1]}`;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (/^node:(_http|net|internal\/(streams|stream_base|http|net))/.test(url)) return 'Node HTTP and sockets';
  if (url.startsWith('node:')) return 'Node internals (timers, promises, async context)';
  return 'other';
}
