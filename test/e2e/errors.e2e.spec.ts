import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NumbersService } from '../../src/numbers/numbers.service';
import { contractValidator } from '../support/contract';
import { baseEnv, startApp, TEST_KEY } from '../support/app';

const validateError = contractValidator('ErrorResponse');

describe('an unexpected exception (500 internal_error)', () => {
  it('answers the envelope with nothing but the tracking id, and logs the stack once', async () => {
    const secret = 'db-password=hunter2-secret';
    const app = await startApp(baseEnv(), (b) =>
      b.overrideProvider(NumbersService).useValue({
        search: () => {
          throw new TypeError(`cannot read property of undefined (${secret})`);
        },
      }),
    );
    try {
      const res = await app.get('/numbers/available?countryCode=US');
      expect(res.status).toBe(500);
      const text = await res.text();
      const body = JSON.parse(text);
      expect(validateError(body)).toEqual([]);
      expect(body).toEqual({
        trackingId: res.headers.get('x-tracking-id'),
        error: { code: 'internal_error', message: expect.any(String), fix: expect.stringContaining('trackingId') },
      });
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/TypeError|\.ts:|at /);
      await new Promise((r) => setTimeout(r, 50));
      const errorLines = app.logs.filter((l) => l.trackingId === body.trackingId && l.msg === 'unhandled exception');
      expect(errorLines).toHaveLength(1);
      expect(JSON.stringify(errorLines[0])).toContain('TypeError');
    } finally {
      await app.close();
    }
  });
});

describe('start-up', () => {
  const main = join(__dirname, '..', '..', 'src', 'main.ts');
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', main], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20000,
    });

  it('refuses to run without keys, exiting non-zero with one clear line per wrong value', () => {
    const r = run({ PORT: 'eighty', CACHE_TTL_SECONDS: '-5' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^configuration error: PORT must be a whole number .*\(example: PORT=3000\)$/),
      expect.stringMatching(/^configuration error: CACHE_TTL_SECONDS must be/),
    ]);
    const noKeys = run({});
    expect(noKeys.status).toBe(1);
    expect(noKeys.stderr).toMatch(/API_KEYS is empty .*AUTH_DISABLED=true/);
    expect(noKeys.stderr).not.toContain(TEST_KEY);
  });

  it('refuses a key shorter than 16 characters with one line that does not print it', () => {
    const r = run({ API_KEYS: 'billing:k_live_12345' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^configuration error: API_KEYS has an entry .*at least 16 characters \(entry 1, client billing\) \(example: API_KEYS=/),
    ]);
    expect(r.stderr).not.toContain('k_live_12345');
  });
});
