import { readFileSync } from 'node:fs';
import type { ConfigProblems, Env } from './env';
import { splitList } from './parsers';

/**
 * How to authenticate to Redis and whether to speak TLS, the same for every topology: production Redis
 * (managed services, Sentinel and Cluster deployments alike) requires a password or an ACL user, and
 * usually TLS.
 */
export interface RedisSecurity {
  /** ACL user (REDIS_USERNAME, or the user of REDIS_URL); absent: the default user. */
  username?: string;
  /** REDIS_PASSWORD, or the password of REDIS_URL. */
  password?: string;
  /** The sentinels' own password (REDIS_SENTINEL_PASSWORD), Sentinel mode only. */
  sentinelPassword?: string;
  /** TLS on every connection (REDIS_TLS, or rediss://), trusting `ca` when given and the system's CAs otherwise. */
  tls?: { ca?: string };
}

export type RedisConfig = (
  /** `url` never carries credentials: they are moved to `security`. */
  | { mode: 'single'; url: string }
  | { mode: 'cluster'; nodes: { host: string; port: number }[] }
  | { mode: 'sentinel'; sentinels: { host: string; port: number }[]; name: string }
) & { security: RedisSecurity };

/**
 * One of REDIS_CLUSTER_NODES, REDIS_SENTINELS (+ REDIS_SENTINEL_NAME) or REDIS_URL, in that order of
 * precedence; none: undefined (in-process cache and counters). REDIS_USERNAME, REDIS_PASSWORD,
 * REDIS_SENTINEL_PASSWORD, REDIS_TLS and REDIS_TLS_CA_FILE apply to whichever is used.
 */
export function readRedisConfig(env: Env, problems: ConfigProblems): RedisConfig | undefined {
  const topology = readTopology(env, problems);
  const security = readSecurity(env, problems, topology);
  if (!topology || !security) return undefined;
  switch (topology.mode) {
    case 'single':
      return { mode: 'single', url: topology.url, security };
    case 'cluster':
    case 'sentinel':
      return { ...topology, security };
    default: {
      const never: never = topology;
      return never;
    }
  }
}

type Topology =
  | { mode: 'single'; url: string; urlUser?: string; urlPassword?: string; urlTls: boolean }
  | { mode: 'cluster'; nodes: { host: string; port: number }[] }
  | { mode: 'sentinel'; sentinels: { host: string; port: number }[]; name: string };

function readTopology(env: Env, problems: ConfigProblems): Topology | undefined {
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
  let u: URL;
  try {
    u = new URL(url);
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error('protocol');
  } catch {
    // The value is not repeated: it may hold a password.
    problems.add('REDIS_URL', 'is not a redis:// or rediss:// URL', 'REDIS_URL=redis://127.0.0.1:6379/0');
    return undefined;
  }
  const urlUser = u.username ? decodeURIComponent(u.username) : undefined;
  const urlPassword = u.password ? decodeURIComponent(u.password) : undefined;
  u.username = '';
  u.password = '';
  return { mode: 'single', url: u.toString(), urlUser, urlPassword, urlTls: u.protocol === 'rediss:' };
}

function readSecurity(env: Env, problems: ConfigProblems, topology: Topology | undefined): RedisSecurity | undefined {
  const value = (name: string) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const configured = topology !== undefined || ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'].some((v) => value(v));
  const given = ['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_SENTINEL_PASSWORD', 'REDIS_TLS', 'REDIS_TLS_CA_FILE'].filter((v) => value(v));
  if (!configured) {
    for (const v of given) {
      problems.add(v, 'is set but no Redis is configured (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES)', 'REDIS_URL=redis://127.0.0.1:6379/0');
    }
    return undefined;
  }
  const single = topology?.mode === 'single' ? topology : undefined;

  let username = value('REDIS_USERNAME');
  let password = value('REDIS_PASSWORD');
  if (single?.urlUser !== undefined) {
    if (username !== undefined) problems.add('REDIS_USERNAME', 'is set and REDIS_URL carries a user too: give it in one place', 'REDIS_URL=redis://127.0.0.1:6379/0');
    username = single.urlUser;
  }
  if (single?.urlPassword !== undefined) {
    if (password !== undefined) problems.add('REDIS_PASSWORD', 'is set and REDIS_URL carries a password too: give it in one place', 'REDIS_URL=redis://127.0.0.1:6379/0');
    password = single.urlPassword;
  }
  if (username !== undefined && password === undefined) {
    problems.add('REDIS_PASSWORD', `is required with the ACL user "${username.slice(0, 64)}" (Redis authenticates a user by its password)`, 'REDIS_PASSWORD=<the user\'s password>');
  }

  const sentinelPassword = value('REDIS_SENTINEL_PASSWORD');
  if (sentinelPassword !== undefined && topology !== undefined && topology.mode !== 'sentinel') {
    problems.add('REDIS_SENTINEL_PASSWORD', 'is set but REDIS_SENTINELS is not: it is the password of the sentinels', 'REDIS_SENTINELS=10.0.0.1:26379');
  }

  let tls = false;
  const rawTls = value('REDIS_TLS')?.toLowerCase();
  if (rawTls === 'true') tls = true;
  else if (rawTls !== undefined && rawTls !== 'false') problems.add('REDIS_TLS', `must be true or false, got "${value('REDIS_TLS')}"`, 'REDIS_TLS=true');
  if (single?.urlTls) {
    if (rawTls === 'false') problems.add('REDIS_TLS', 'is false but REDIS_URL is a rediss:// (TLS) URL', 'REDIS_TLS=true');
    tls = true;
  }
  const caFile = value('REDIS_TLS_CA_FILE');
  let ca: string | undefined;
  if (caFile !== undefined) {
    if (!tls) problems.add('REDIS_TLS_CA_FILE', 'is set but TLS is off: set REDIS_TLS=true (or use a rediss:// URL)', 'REDIS_TLS=true');
    else ca = readCaFile(caFile, problems);
  }
  return {
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(sentinelPassword !== undefined && topology?.mode === 'sentinel' && { sentinelPassword }),
    ...(tls && { tls: ca !== undefined ? { ca } : {} }),
  };
}

function readCaFile(path: string, problems: ConfigProblems): string | undefined {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.add('REDIS_TLS_CA_FILE', `names "${path}", which cannot be read (${reason})`, 'REDIS_TLS_CA_FILE=/etc/ssl/redis/ca.pem');
    return undefined;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    problems.add('REDIS_TLS_CA_FILE', `names "${path}", which holds no PEM certificate`, 'REDIS_TLS_CA_FILE=/etc/ssl/redis/ca.pem');
    return undefined;
  }
  return pem;
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
