import { readFileSync } from 'node:fs';
import { join } from 'node:path';
/** What every measurement shares: the demo-style key, the search, the service's environment as deployed. */
export const KEY = 'bench-key-0123456789';
export const AUTH = { authorization: `Bearer ${KEY}` };
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** Length of one throughput round (BENCH_SECONDS) and how many alternating rounds (BENCH_ROUNDS). */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
export const QUERY = '/numbers/available?countryCode=US&areaCode=415&features=sms,voice&limit=10';

export const log = (s: string): void => void process.stdout.write(`${s}\n`);
export const keyPrefix = (name: string): string => `bench-${name}-${process.pid}-${Date.now()}`;

/** The Node options the Docker image runs the service with, read from the Dockerfile (dist/tools/bench/lib → the repository). */
export function imageNodeOptions(): string {
  const dockerfile = readFileSync(join(__dirname, '..', '..', '..', '..', 'Dockerfile'), 'utf8');
  const m = /NODE_OPTIONS=(?:"([^"]*)"|(\S+))/.exec(dockerfile);
  const options = m?.[1] ?? m?.[2];
  if (options === undefined) throw new Error('the Dockerfile sets no NODE_OPTIONS');
  return options;
}

/** The service's environment against the emulators: Redis on, a long TTL, the Docker image's heap setting. */
export function serviceEnv(emulatorEnv: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...emulatorEnv,
    API_KEYS: `bench:${KEY}`,
    REDIS_URL,
    CACHE_TTL_SECONDS: '3600',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    // The Docker image's Node options (its Dockerfile's NODE_OPTIONS): measured as deployed.
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? imageNodeOptions(),
    ...extra,
  };
}
