import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { TEST_KEY } from '../support/app';
import { freePort } from '../support/redis';

/** SIGTERM: stop accepting, finish what is in flight within SHUTDOWN_GRACE_MS, exit. Run as a real process. */
interface Service {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

async function startService(emu: EmulatorServer, env: Record<string, string> = {}): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', '..', 'src', 'main.ts')], {
    env: { PATH: process.env.PATH ?? '', ...emu.env(), API_KEYS: `t:${TEST_KEY}`, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never answered`);
}

describe('graceful shutdown', () => {
  let emu: EmulatorServer;
  const services: Service[] = [];
  beforeEach(async () => {
    emu = await startEmulators({ carriers: ['twilio'] });
  });
  afterEach(async () => {
    for (const s of services.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await emu.close();
  });

  it('finishes an in-flight search, then exits 0', async () => {
    emu.setBehaviour('twilio', { latencyMs: 1500 });
    const service = await startService(emu);
    services.push(service);
    await waitFor(`${service.url}/health/live`);
    const inFlight = fetch(`${service.url}/numbers/available?countryCode=US&limit=3`, { headers: { authorization: `Bearer ${TEST_KEY}` } });
    await new Promise((r) => setTimeout(r, 400));
    service.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { numbers: unknown[] }).numbers).toHaveLength(3);
    expect(await service.exited).toBe(0);
    // It no longer accepts connections.
    await expect(fetch(`${service.url}/health/live`)).rejects.toThrow();
    expect(service.output()).toContain('stopped on SIGTERM');
  }, 30_000);

  it('gives in-flight requests SHUTDOWN_GRACE_MS, then exits 1 saying so', async () => {
    // The search would take 20 s (its carrier is that slow and REQUEST_TIMEOUT_MS allows it); the grace is 300 ms.
    emu.setBehaviour('twilio', { latencyMs: 20_000 });
    const service = await startService(emu, { REQUEST_TIMEOUT_MS: '30000', PROVIDER_TIMEOUT_MS: '30000', SHUTDOWN_GRACE_MS: '300' });
    services.push(service);
    await waitFor(`${service.url}/health/live`);
    const inFlight = fetch(`${service.url}/numbers/available?countryCode=US&limit=3`, { headers: { authorization: `Bearer ${TEST_KEY}` } }).then(
      (r) => r.status,
      () => 'connection closed',
    );
    for (let i = 0; i < 100 && emu.openRequests('twilio') === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(emu.openRequests('twilio')).toBe(1);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(1);
    expect(await inFlight).toBe('connection closed');
    const lines = service.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg: string; graceMs?: number });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', graceMs: 300, msg: expect.stringContaining('SHUTDOWN_GRACE_MS') }));
  }, 30_000);

  it('serves /metrics and /health/* on MANAGEMENT_PORT only, and closes that listener too', async () => {
    const managementPort = await freePort();
    const service = await startService(emu, { MANAGEMENT_PORT: String(managementPort), MANAGEMENT_HOST: '127.0.0.1' });
    services.push(service);
    const management = `http://127.0.0.1:${managementPort}`;
    await waitFor(`${management}/health/ready`);
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(404);
    expect((await fetch(`${management}/metrics`)).status).toBe(200);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    await expect(fetch(`${management}/health/live`)).rejects.toThrow();
  }, 30_000);

  it('stops at start-up with one line naming MANAGEMENT_PORT when that port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const service = await startService(emu, { MANAGEMENT_PORT: String((taken.address() as AddressInfo).port), MANAGEMENT_HOST: '127.0.0.1' });
    services.push(service);
    expect(await service.exited).toBe(1);
    await new Promise((resolve) => taken.close(resolve));
    expect(service.output()).toMatch(/start-up failed: the management listener could not listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\): set MANAGEMENT_PORT to a free port/);
  }, 30_000);
});
