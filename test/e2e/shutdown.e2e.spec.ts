import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmulators } from '../../emulators/index';
import { TEST_KEY } from '../support/app';

/** SIGTERM: stop accepting, finish what is in flight, exit 0. Run as a real process. */
describe('graceful shutdown', () => {
  it('finishes an in-flight search, then exits 0', async () => {
    const emu = await startEmulators({ carriers: ['twilio'] });
    emu.setBehaviour('twilio', { latencyMs: 1500 });
    const port = 30000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', '..', 'src', 'main.ts')], {
      env: { PATH: process.env.PATH ?? '', ...emu.env(), API_KEYS: `t:${TEST_KEY}`, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300; i++) {
        const ok = await fetch(`${url}/health/live`).then((r) => r.ok, () => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const inFlight = fetch(`${url}/numbers/available?countryCode=US&limit=3`, { headers: { authorization: `Bearer ${TEST_KEY}` } });
      await new Promise((r) => setTimeout(r, 400));
      child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { numbers: unknown[] }).numbers).toHaveLength(3);
      expect(await exited).toBe(0);
      // It no longer accepts connections.
      await expect(fetch(`${url}/health/live`)).rejects.toThrow();
      expect(output).toContain('stopped on SIGTERM');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await emu.close();
    }
  }, 30_000);
});
