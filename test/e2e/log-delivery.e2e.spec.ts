import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_KEY } from '../support/app';
import { freePort } from '../support/redis';

/**
 * Log lines reach stdout without waiting for more traffic, and none are lost when the process ends:
 * real processes, their stdout read as a log collector reads it. No timing is asserted: each check polls
 * for a generous while and asserts what arrived.
 */
const root = join(__dirname, '..', '..');

interface Proc {
  stdout(): string;
  lines(): Record<string, unknown>[];
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

function run(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    stdout: () => out,
    lines: () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    kill: (signal) => child.kill(signal),
  };
}

async function poll(check: () => boolean, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 20; i++) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('the service on an idle day', () => {
  it("writes a request's line at once, without more traffic, and its last lines when it crashes", async () => {
    const port = await freePort();
    const service = run(['-r', join(root, 'test', 'support', 'crash-on-signal.ts'), join(root, 'src', 'main.ts')], {
      API_KEYS: `t:${TEST_KEY}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      let up = false;
      for (let i = 0; i < 600 && !up; i++) {
        up = await fetch(`${url}/health/live`).then((r) => r.ok, () => false);
        if (!up) await new Promise((r) => setTimeout(r, 50));
      }
      expect(up).toBe(true);
      // Let start-up and the readiness polls settle, so the search below is the only traffic.
      await new Promise((r) => setTimeout(r, 500));

      const res = await fetch(`${url}/numbers/available?countryCode=US`, { headers: { authorization: `Bearer ${TEST_KEY}` } });
      expect(res.status).toBe(200);
      const trackingId = res.headers.get('x-tracking-id')!;
      expect(await poll(() => service.lines().some((l) => l.trackingId === trackingId && l.msg === 'GET /numbers/available 200'), 3)).toBe(true);

      // One more request, then an uncaught exception: its line and the fatal line are both written.
      const last = await fetch(`${url}/health/live`);
      const lastId = last.headers.get('x-tracking-id')!;
      service.kill('SIGUSR2');
      expect(await service.exited).toBe(1);
      const lines = service.lines();
      expect(lines.some((l) => l.trackingId === lastId)).toBe(true);
      expect(lines.at(-1)).toMatchObject({ level: 'fatal', msg: 'uncaught exception: the process exits', err: { message: 'crash requested by the test' } });
    } finally {
      service.kill('SIGKILL');
    }
  }, 90_000);
});

describe('a process that ends right after logging', () => {
  it.each([
    ['throws an exception nobody catches', 'throw', 1, 'uncaught exception: the process exits'],
    ['leaves a rejected promise unhandled', 'reject', 1, 'unhandled promise rejection: the process exits'],
    ['calls process.exit', 'exit', 0, undefined],
  ])('shows every line it logged when it %s, then why it ended', async (_what, how, code, fatal) => {
    const marker = `marker-${how}-${process.pid}`;
    const proc = run([join(root, 'test', 'support', 'log-then-end.ts'), how, marker]);
    expect(await proc.exited).toBe(code);
    const lines = proc.lines();
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', marker, msg: 'the last line before the end' }));
    if (fatal) expect(lines.at(-1)).toMatchObject({ level: 'fatal', msg: fatal, err: { message: expect.stringContaining(marker) } });
  }, 60_000);
});
