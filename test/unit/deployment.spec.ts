import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CARRIER_EMULATORS } from '../../emulators/index';
import { loadConfig } from '../../src/config/app-config';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';

/**
 * No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked against the code: the
 * services, ports, variables and health checks they name must be the ones the service really has.
 */
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const configurationMd = readFileSync(join(root, 'contract', 'configuration.md'), 'utf8');

/** Every variable the configuration contract names, plus the ones this project documents on top. */
const CONTRACT_VARIABLES = new Set([...configurationMd.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]));
const EXTRA_VARIABLES = new Set(['REDIS_KEY_PREFIX']);

/** What docker-compose makes of the service's environment when the variables it interpolates are unset. */
function interpolated(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]));
}

function sourceText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out += sourceText(p);
    else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) out += readFileSync(p, 'utf8');
  }
  return out;
}

describe('configuration contract', () => {
  it('every variable of configuration.md is read by the code', () => {
    const src = sourceText(join(root, 'src'));
    const unread = [...CONTRACT_VARIABLES].filter((v) => !new RegExp(`['".]${v}\\b`).test(src));
    // Provider variables are read by provider folders that register themselves; the rest must all be read.
    const registered = new Set(PROVIDER_DEFINITIONS.map((d) => d.name.toUpperCase()));
    const missing = unread.filter((v) => {
      const provider = v.split('_')[0];
      const isProviderVariable = ['TELNYX', 'TWILIO', 'VONAGE', 'PLIVO', 'BANDWIDTH', 'SINCH', 'SIGNALWIRE'].includes(provider);
      return !isProviderVariable || registered.has(provider);
    });
    expect(missing).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  const services = compose.services as Record<string, any>;

  it('runs the service, Redis, PostgreSQL and the emulators, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['emulators', 'numbers-gateway', 'postgres', 'redis']);
    for (const [name, s] of Object.entries(services)) {
      expect({ name, healthcheck: Boolean(s.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    }
  });

  it('starts the service after healthy Redis, PostgreSQL and emulators, publishing the API port only', () => {
    const gw = services['numbers-gateway'];
    expect(gw.depends_on).toEqual({ redis: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' }, emulators: { condition: 'service_healthy' } });
    const port = gw.environment.PORT;
    expect(gw.ports).toEqual([`${port}:${port}`]);
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
    expect(gw.environment.REDIS_URL).toBe('redis://redis:6379/0');
    expect(JSON.stringify(services.redis.healthcheck.test)).toContain('ping');
  });

  it('keeps the orders ledger in PostgreSQL, on the compose network only, in a volume', () => {
    const gw = services['numbers-gateway'].environment as Record<string, string>;
    const pg = services.postgres;
    expect(pg.image).toMatch(/^postgres:16/);
    expect(pg.ports).toBeUndefined();
    expect(pg.healthcheck.test).toEqual(['CMD', 'pg_isready', '-U', pg.environment.POSTGRES_USER, '-d', pg.environment.POSTGRES_DB]);
    const url = new URL(interpolated(gw).DATABASE_URL);
    expect(url.password).toBe(interpolated(pg.environment).POSTGRES_PASSWORD);
    expect({ host: url.hostname, port: url.port, user: url.username, db: url.pathname }).toEqual({ host: 'postgres', port: '5432', user: pg.environment.POSTGRES_USER, db: `/${pg.environment.POSTGRES_DB}` });
    // The service reads it as a ledger configuration.
    expect(loadConfig({ ...interpolated(gw), API_KEYS: 'demo:compose-test-key-0123' }, PROVIDER_DEFINITIONS).ledger.kind).toBe('postgres');
    expect(loadConfig({ ...interpolated(gw), API_KEYS: 'demo:compose-test-key-0123', ORDER_CLIENTS: 'demo' }, PROVIDER_DEFINITIONS).orders.clients).toEqual(['demo']);
    expect(pg.volumes).toEqual(['orders-ledger:/var/lib/postgresql/data']);
    expect(compose.volumes).toHaveProperty('orders-ledger');
  });

  it('checks readiness on the listener that serves /health (the management port when one is set)', () => {
    const env = services['numbers-gateway'].environment as Record<string, string>;
    const healthPort = env.MANAGEMENT_PORT ?? env.PORT;
    expect(JSON.stringify(services['numbers-gateway'].healthcheck.test)).toContain(`127.0.0.1:${healthPort}/health/ready`);
    // The image's own check follows the same rule whatever the deployment sets.
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*process\.env\.MANAGEMENT_PORT\|\|process\.env\.PORT\|\|3000\)\+'\/health\/live'/);
  });

  it('holds no API key of its own: without API_KEYS docker-compose refuses to start, saying what to set', () => {
    expect(services['numbers-gateway'].environment.API_KEYS).toMatch(/^\$\{API_KEYS:\?[^}]*API_KEYS=[^}]+\}$/);
  });

  it('publishes the emulators\' control API on this host only', () => {
    const port = services.emulators.environment.EMULATOR_PORT;
    expect(services.emulators.ports).toEqual([`127.0.0.1:${port}:${port}`]);
  });

  it('lets the service finish its shutdown grace before the container is killed', () => {
    const env = { ...interpolated(services['numbers-gateway'].environment as Record<string, string>), API_KEYS: 'demo:compose-test-key-0123' };
    const graceMs = loadConfig(env, PROVIDER_DEFINITIONS).shutdownGraceMs;
    const stopGrace = /^(\d+)s$/.exec(services['numbers-gateway'].stop_grace_period);
    expect(Number(stopGrace?.[1]) * 1000).toBeGreaterThan(graceMs);
  });

  it('sets only variables the service knows', () => {
    const unknown = Object.keys(services['numbers-gateway'].environment).filter(
      (v) => !CONTRACT_VARIABLES.has(v) && !EXTRA_VARIABLES.has(v),
    );
    expect(unknown).toEqual([]);
  });

  it('points every configured carrier at its emulator, with the emulator credentials', () => {
    const gw = services['numbers-gateway'].environment as Record<string, string>;
    const emulatorEnv: Record<string, string> = {};
    for (const e of CARRIER_EMULATORS) Object.assign(emulatorEnv, e.env('http://emulators:4010', e.defaultCredentials));
    for (const [k, v] of Object.entries(emulatorEnv)) expect({ k, v: gw[k] }).toEqual({ k, v });
    expect(services.emulators.command).toEqual(['node', 'dist/tools/emulators/main.js']);
  });

  it('is accepted by docker-compose config', () => {
    const which = spawnSync('sh', ['-c', 'command -v docker-compose']);
    // CI installs docker-compose and requires this check; a developer machine without it checks the rest.
    if (which.status !== 0 && process.env.REQUIRE_DOCKER_COMPOSE !== '1') {
      console.warn('docker-compose is not installed: compose file syntax not checked by docker-compose (CI installs it)');
      return;
    }
    const config = (env: Record<string, string>) =>
      spawnSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
    const r = config({ API_KEYS: 'demo:compose-test-key-0123' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const withoutKeys = config({});
    expect(withoutKeys.status).not.toBe(0);
    expect(withoutKeys.stderr).toContain('set API_KEYS to client:key pairs');
  });
});

describe('Dockerfile', () => {
  it('starts the documented command as a non-root user', () => {
    expect(configurationMd).toContain('node dist/main.js');
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main.js"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/health\/live/);
  });
});

describe('the runtime', () => {
  const nodeVersion = readFileSync(join(root, '.node-version'), 'utf8').trim();
  const [major, minor] = nodeVersion.split('.');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

  it('is one Node.js LTS version, named alike by .node-version, the Dockerfile, engines, the README and CI', () => {
    expect(nodeVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(major) % 2).toBe(0); // even majors are the LTS lines
    // Both stages build FROM the one image, pinned by exact version and digest.
    expect(dockerfile).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${nodeVersion.replace(/\./g, '\\.')}-bookworm-slim@sha256:[0-9a-f]{64}$`, 'm'));
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
    // engines admits the pinned version and nothing of another major.
    const engines = /^\^(\d+)\.(\d+)\.0$/.exec(packageJson.engines.node);
    expect(engines?.[1]).toBe(major);
    expect(Number(engines?.[2])).toBeLessThanOrEqual(Number(minor));
    expect(readme).toContain(`Node.js ${major}`);
    expect(readme).toContain(nodeVersion);
    expect(ci).toContain('scripts/install-node.sh');
    expect(readFileSync(join(root, 'scripts', 'node-integrity.txt'), 'utf8')).toMatch(new RegExp(`^${nodeVersion.replace(/\./g, '\\.')} sha512-[A-Za-z0-9+/=]{88}$`, 'm'));
  });

  it('is the one this process runs on, and npm refuses to install on another', () => {
    expect(process.versions.node.split('.')[0]).toBe(major);
    expect(readFileSync(join(root, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
  });

  it('stops npm scripts on another Node.js with one sentence naming both versions', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'check-node.js')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const fake = spawnSync(process.execPath, ['-e', `Object.defineProperty(process.versions, 'node', { value: '20.20.2' }); Object.defineProperty(process, 'version', { value: 'v20.20.2' }); require(${JSON.stringify(join(root, 'scripts', 'check-node.js'))})`], { encoding: 'utf8' });
    expect(fake.status).toBe(1);
    expect(fake.stderr.trim().split('\n')).toHaveLength(1);
    expect(fake.stderr).toContain('v20.20.2');
    expect(fake.stderr).toContain(nodeVersion);
  });

  it('keeps Fastify at a release with the published advisories fixed (5.12.2 or later)', () => {
    const installed = JSON.parse(readFileSync(join(root, 'node_modules', 'fastify', 'package.json'), 'utf8')).version as string;
    const [fMajor, fMinor, fPatch] = installed.split('.').map(Number);
    expect(fMajor).toBe(5);
    expect(fMinor * 1000 + fPatch).toBeGreaterThanOrEqual(12 * 1000 + 2);
  });
});

describe('Dockerfile files', () => {
  it('copies only paths that exist', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(sources.length).toBeGreaterThan(3);
    for (const s of sources) expect({ s, exists: existsSync(join(root, s)) }).toEqual({ s, exists: true });
  });
});
