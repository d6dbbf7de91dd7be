import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered in the run. */
  total: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** The autocannon CLI of the project's own devDependencies (dist/tools/bench/lib → node_modules). */
const AUTOCANNON = join(__dirname, '..', '..', '..', '..', 'node_modules', 'autocannon', 'autocannon.js');

/**
 * Closed-loop HTTP load from a process of its own (the autocannon CLI), so the load generator never shares an
 * event loop with the benchmark's other work; loopback only.
 */
export function load(url: string, options: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const args = [AUTOCANNON, '--json', '-c', String(options.connections), '-d', String(options.seconds)];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err.slice(0, 500)}`));
      try {
        const r = JSON.parse(out.slice(out.indexOf('{')));
        resolve({
          requestsPerSecond: r.requests.average,
          total: r.requests.total,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          non2xx: r.non2xx,
          errors: r.errors,
        });
      } catch (e) {
        reject(new Error(`autocannon printed no JSON: ${(e as Error).message}: ${out.slice(0, 200)}`));
      }
    });
  });
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
