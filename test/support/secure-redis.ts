import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis';

/**
 * redis-server processes as production runs them: a password for the default user, an ACL user of the
 * application's own, optionally TLS only (no plain port) with certificates from a throwaway CA. Each
 * process is the test's own, on free loopback ports, stopped by its PID.
 */

/** The application's ACL user; its password needs percent-encoding in a URL. */
export const APP_USER = 'ngapp';
export const APP_PASSWORD = 'app-Pa55/w@rd';
/** The default user's password (requirepass). */
export const DEFAULT_PASSWORD = 'default-Pa55word-1';
/** The sentinels' own password (requirepass of the sentinel processes). */
export const SENTINEL_PASSWORD = 'sentinel-Pa55word-2';

const ACL_ARGS = ['--requirepass', DEFAULT_PASSWORD, '--user', APP_USER, 'on', `>${APP_PASSWORD}`, '~*', '&*', '+@all'];

/** Whether this redis-server was built with TLS (Debian's is). */
export function redisTlsAvailable(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'ng-tls-probe-'));
  try {
    // A build without TLS refuses the tls-port directive before it reads the (missing) certificate.
    const r = spawnSync('redis-server', ['--port', '0', '--tls-port', '1', '--tls-cert-file', join(dir, 'none')], { encoding: 'utf8', timeout: 5000 });
    return !/unsupported|Bad directive|not supported/i.test(`${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, made with openssl. */
export class TlsMaterial {
  readonly dir = mkdtempSync(join(tmpdir(), 'ng-tls-'));
  readonly caFile = join(this.dir, 'ca.crt');
  readonly certFile = join(this.dir, 'server.crt');
  readonly keyFile = join(this.dir, 'server.key');

  constructor() {
    const run = (args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: this.dir, encoding: 'utf8', timeout: 30_000 });
      if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
    };
    writeFileSync(join(this.dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=numbers-gateway test CA']);
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'san.ext']);
  }

  /** redis-server arguments: TLS on `port` with these certificates; clients need no certificate of their own. */
  serverArgs(): string[] {
    return ['--tls-cert-file', this.certFile, '--tls-key-file', this.keyFile, '--tls-ca-cert-file', this.caFile, '--tls-auth-clients', 'no'];
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One redis-server (or sentinel) process with passwords and the ACL user, plain or TLS-only. */
export class SecureRedisProcess {
  private child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'ng-secure-redis-'));

  constructor(
    readonly port: number,
    private readonly tls: TlsMaterial | undefined,
    private readonly extraArgs: string[] = [],
    /** A sentinel: started from a configuration file of its own, which it rewrites. */
    private readonly sentinelConf?: string,
  ) {}

  async start(password = this.sentinelConf ? SENTINEL_PASSWORD : DEFAULT_PASSWORD): Promise<void> {
    const listen = this.tls ? ['--port', '0', '--tls-port', String(this.port), ...this.tls.serverArgs()] : ['--port', String(this.port)];
    const args = this.sentinelConf
      ? [this.writeSentinelConf(), '--sentinel', ...listen]
      : [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, ...ACL_ARGS, ...this.extraArgs];
    this.child = spawn('redis-server', args, { cwd: this.dir, stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      if (this.cli(password, ['PING']).stdout.trim() === 'PONG') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  /** redis-cli against this process, authenticated with `password` as the default user. */
  cli(password: string, command: string[]): { status: number | null; stdout: string } {
    const tls = this.tls ? ['--tls', '--cacert', this.tls.caFile] : [];
    const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...tls, '-a', password, '--no-auth-warning', ...command], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    return { status: r.status, stdout: r.stdout ?? '' };
  }

  private writeSentinelConf(): string {
    const file = join(this.dir, 'sentinel.conf');
    writeFileSync(file, `bind 127.0.0.1\ndir ${this.dir}\n${this.tls ? 'tls-replication yes\n' : ''}${this.sentinelConf}`);
    return file;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A master and one sentinel (quorum 1) that needs a password and monitors the master as the ACL user. */
export class SecureSentinel {
  readonly name = 'ngsecure';
  master!: SecureRedisProcess;
  sentinel!: SecureRedisProcess;

  constructor(private readonly tls?: TlsMaterial) {}

  async start(): Promise<void> {
    this.master = new SecureRedisProcess(await freePort(), this.tls);
    await this.master.start();
    const conf = [
      `requirepass ${SENTINEL_PASSWORD}`,
      `sentinel monitor ${this.name} 127.0.0.1 ${this.master.port} 1`,
      `sentinel auth-user ${this.name} ${APP_USER}`,
      `sentinel auth-pass ${this.name} ${APP_PASSWORD}`,
      '',
    ].join('\n');
    this.sentinel = new SecureRedisProcess(await freePort(), this.tls, [], conf);
    await this.sentinel.start();
    for (let i = 0; i < 200; i++) {
      if (this.sentinel.cli(SENTINEL_PASSWORD, ['SENTINEL', 'get-master-addr-by-name', this.name]).stdout.includes(String(this.master.port))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the sentinel does not name its master');
  }

  get seeds(): string {
    return `127.0.0.1:${this.sentinel.port}`;
  }

  async stop(): Promise<void> {
    await this.sentinel?.stop();
    await this.master?.stop();
  }
}

/** Three cluster nodes with passwords and the ACL user, joined with redis-cli; TLS on the cluster bus too. */
export class SecureCluster {
  readonly nodes: SecureRedisProcess[] = [];

  constructor(private readonly tls?: TlsMaterial) {}

  async start(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const bus = await freePort();
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--cluster-port', String(bus), '--masterauth', DEFAULT_PASSWORD];
      if (this.tls) args.push('--tls-cluster', 'yes', '--tls-replication', 'yes');
      const node = new SecureRedisProcess(port, this.tls, args);
      await node.start();
      this.nodes.push(node);
    }
    const tls = this.tls ? ['--tls', '--cacert', this.tls.caFile] : [];
    const create = spawnSync(
      'redis-cli',
      [...tls, '-a', DEFAULT_PASSWORD, '--no-auth-warning', '--cluster', 'create', ...this.nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout} ${create.stderr}`);
    for (let i = 0; i < 200; i++) {
      if (this.nodes.every((n) => n.cli(DEFAULT_PASSWORD, ['CLUSTER', 'INFO']).stdout.includes('cluster_state:ok'))) return;
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
