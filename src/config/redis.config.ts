import type { ConfigProblems, Env } from './env';
import { splitList } from './parsers';

export type RedisConfig =
  | { mode: 'single'; url: string }
  | { mode: 'cluster'; nodes: { host: string; port: number }[] }
  | { mode: 'sentinel'; sentinels: { host: string; port: number }[]; name: string };

/**
 * One of REDIS_CLUSTER_NODES, REDIS_SENTINELS (+ REDIS_SENTINEL_NAME) or REDIS_URL, in that order of
 * precedence; none: undefined (in-process cache and counters).
 */
export function readRedisConfig(env: Env, problems: ConfigProblems): RedisConfig | undefined {
  const cluster = (env.REDIS_CLUSTER_NODES ?? '').trim();
  if (cluster) {
    const nodes = parseHostPorts('REDIS_CLUSTER_NODES', cluster, problems);
    return nodes ? { mode: 'cluster', nodes } : undefined;
  }
  const sentinels = (env.REDIS_SENTINELS ?? '').trim();
  if (sentinels) {
    const name = (env.REDIS_SENTINEL_NAME ?? '').trim();
    if (!name) problems.add('REDIS_SENTINEL_NAME', 'is required with REDIS_SENTINELS', 'REDIS_SENTINEL_NAME=mymaster');
    const parsed = parseHostPorts('REDIS_SENTINELS', sentinels, problems);
    return parsed && name ? { mode: 'sentinel', sentinels: parsed, name } : undefined;
  }
  const url = (env.REDIS_URL ?? '').trim();
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error('protocol');
  } catch {
    problems.add('REDIS_URL', 'is not a redis:// or rediss:// URL', 'REDIS_URL=redis://127.0.0.1:6379/0');
    return undefined;
  }
  return { mode: 'single', url };
}

function parseHostPorts(
  variable: string,
  raw: string,
  problems: ConfigProblems,
): { host: string; port: number }[] | undefined {
  const out: { host: string; port: number }[] = [];
  for (const item of splitList(raw)) {
    const m = /^(.+):(\d{1,5})$/.exec(item);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      problems.add(variable, `has "${item}", which is not host:port`, `${variable}=10.0.0.1:7000,10.0.0.2:7000`);
      return undefined;
    }
    out.push({ host: m[1], port: Number(m[2]) });
  }
  return out;
}
