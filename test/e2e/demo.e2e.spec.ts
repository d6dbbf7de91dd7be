import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../bench/lib/processes';

/** `npm run demo`, run from source: it tells the truth about what is listening. */
const DEMO = join(__dirname, '..', '..', 'scripts', 'demo.ts');

function runDemo(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', DEMO], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function occupy(port: number): Promise<net.Server> {
  const server = net.createServer((s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('npm run demo', () => {
  it('prints the banner and a curl that works only once the service answers /health/ready', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const demo = runDemo({ PORT: String(port), EMULATOR_PORT: String(emulatorPort) });
    try {
      for (let i = 0; i < 600 && !demo.output().includes('try:'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(demo.output()).toContain(`numbers-gateway is running on http://127.0.0.1:${port}`);
      const curl = /curl -si '([^']+)' -H 'Authorization: Bearer ([^']+)'/.exec(demo.output());
      expect(curl).not.toBeNull();
      const res = await fetch(curl![1], { headers: { authorization: `Bearer ${curl![2]}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { numbers: unknown[] }).numbers.length).toBeGreaterThan(0);
    } finally {
      demo.child.kill('SIGTERM');
      await demo.exited;
    }
  }, 60_000);

  it.each([
    ['PORT', 'numbers-gateway'],
    ['EMULATOR_PORT', 'carrier emulators'],
  ])('names the port and %s when the port is taken, and prints no banner', async (variable, what) => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const taken = await occupy(variable === 'PORT' ? port : emulatorPort);
    try {
      const demo = runDemo({ PORT: String(port), EMULATOR_PORT: String(emulatorPort), HOST: '127.0.0.1' });
      expect(await demo.exited).toBe(1);
      const busy = variable === 'PORT' ? port : emulatorPort;
      expect(demo.output()).toContain(`port ${busy} (${what}) is already in use`);
      expect(demo.output()).toContain(`set ${variable} to a free port`);
      expect(demo.output()).not.toContain('is running');
      expect(demo.output()).not.toContain('curl');
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 30_000);
});
