import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../../bench/lib/processes';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { PinoLogger } from 'nestjs-pino';
import { RedisService } from '../../src/redis/redis.service';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';

export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379/0';

/** A key prefix no other test run uses. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${process.pid}-${Date.now().toString(36)}`;
}

/** Deletes every key of a prefix from the shared Redis. */
export async function deletePrefix(prefix: string, url = SHARED_REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function keysOf(prefix: string, url = SHARED_REDIS_URL): Promise<string[]> {
  const redis = new Redis(url);
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

export function redisServerAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v redis-server && command -v redis-cli']).status === 0;
}

export { freePort };

/** A redis-server process of the test's own, stopped by its PID. */
export class DedicatedRedis {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ng-redis-'));

  constructor(
    readonly port: number,
    private readonly extraArgs: string[] = [],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, ...this.extraArgs], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      const ok = await probe.connect().then(() => true, () => false);
      // A probe that failed is already closed; disconnecting it again would leave ioredis' 2 s timer behind.
      if (probe.status !== 'end') probe.disconnect();
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  /** SIGSTOP: Redis hangs with its connections open (commands time out instead of failing). */
  pause(): void {
    if (this.running) process.kill(this.child!.pid!, 'SIGSTOP');
  }

  resume(): void {
    if (this.running) process.kill(this.child!.pid!, 'SIGCONT');
  }

  get running(): boolean {
    return this.child?.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: an outage, not a shutdown. */
  async kill(): Promise<void> {
    const child = this.child;
    // A process killed by a signal has signalCode set and exitCode null: either means it is gone.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Three cluster-enabled redis-server processes joined into one cluster with redis-cli. */
export class RedisCluster {
  readonly nodes: DedicatedRedis[] = [];

  async start(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const node = new DedicatedRedis(port, ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000']);
      await node.start();
      this.nodes.push(node);
    }
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...this.nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout} ${create.stderr}`);
    // Wait until every node agrees that every slot is served.
    for (let i = 0; i < 100; i++) {
      const ok = this.nodes.every((n) =>
        spawnSync('redis-cli', ['-p', String(n.port), 'cluster', 'info'], { encoding: 'utf8' }).stdout.includes('cluster_state:ok'),
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('cluster did not reach cluster_state:ok');
  }

  get seeds(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}

/** What a component logged, for tests that build components without the Nest logger. */
export interface CapturedLog {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
}

/** A PinoLogger stand-in that records (level, message) pairs; only the methods the cache layer calls. */
export function capturingLogger(): { logger: PinoLogger; logs: CapturedLog[] } {
  const logs: CapturedLog[] = [];
  const at = (level: CapturedLog['level']) => (a: unknown, b?: unknown) => {
    logs.push({ level, msg: String(typeof a === 'string' ? a : b) });
  };
  const logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal') };
  return { logger: logger as unknown as PinoLogger, logs };
}

/** A RedisService outside Nest (as the app builds it from the environment), connected or given up on. */
export async function startRedisService(env: Record<string, string>): Promise<{ service: RedisService; logs: CapturedLog[]; config: AppConfig }> {
  const config = loadConfig({ AUTH_DISABLED: 'true', ...env }, PROVIDER_DEFINITIONS);
  const { logger, logs } = capturingLogger();
  const service = new RedisService(config, logger);
  await service.onModuleInit();
  return { service, logs, config };
}

/** Polls until `check` holds or the attempts run out (no timing assertion: the result is asserted). */
export async function eventually(check: () => boolean | Promise<boolean>, attempts = 100, everyMs = 50): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

/** A master and one Sentinel watching it (quorum 1), each a process of the test's own. */
export class RedisSentinel {
  readonly master: DedicatedRedis;
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ng-sentinel-'));
  port = 0;

  constructor(
    masterPort: number,
    readonly name = 'ngmaster',
  ) {
    this.master = new DedicatedRedis(masterPort);
  }

  async start(): Promise<void> {
    await this.master.start();
    this.port = await freePort();
    // Sentinel rewrites its configuration file, so it gets one of its own.
    const conf = join(this.dir, 'sentinel.conf');
    writeFileSync(conf, `port ${this.port}\nbind 127.0.0.1\ndir ${this.dir}\nsentinel monitor ${this.name} 127.0.0.1 ${this.master.port} 1\n`);
    this.child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const probe = new Redis(this.port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      const master = await probe
        .connect()
        .then(() => probe.call('SENTINEL', 'get-master-addr-by-name', this.name))
        .catch(() => null);
      if (probe.status !== 'end') probe.disconnect();
      if (Array.isArray(master)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sentinel on ${this.port} did not start`);
  }

  get seeds(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    await this.master.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
