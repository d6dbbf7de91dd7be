import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDatabase } from '../support/ledger';

/** `npm run migrate` (src/migrate.ts) as a process of its own, against PostgreSQL and a PGlite folder. */
function runMigrate(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', '..', 'src', 'migrate.ts')], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run migrate', () => {
  it('migrates PostgreSQL once; a second run finds it up to date; the password never shows', async () => {
    const db = await TestDatabase.create('migrate_cmd');
    try {
      const url = new URL(db.url);
      url.password = 'not-needed-with-trust-0001';
      const first = await runMigrate({ DATABASE_URL: url.toString() });
      expect(first).toEqual({ code: 0, out: `PostgreSQL at 127.0.0.1:5432/${db.name}: applied 0001_orders (0 already applied)\n` });
      const second = await runMigrate({ DATABASE_URL: url.toString() });
      expect(second).toEqual({ code: 0, out: `PostgreSQL at 127.0.0.1:5432/${db.name}: up to date (1 migration(s) applied before)\n` });
    } finally {
      await db.drop();
    }
  }, 60_000);

  it('migrates a PGlite folder, which the service then opens as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ng-pglite-'));
    try {
      expect((await runMigrate({ PGLITE_DIR: dir })).out).toContain('applied 0001_orders');
      expect((await runMigrate({ PGLITE_DIR: dir })).out).toContain('up to date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to run without a database, or with a malformed DATABASE_URL, saying what to set', async () => {
    const none = await runMigrate({});
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/^configuration error: DATABASE_URL is not set/);
    const wrong = await runMigrate({ DATABASE_URL: 'mysql://u:hunter2-secret@db/x' });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('DATABASE_URL must start with postgres:// or postgresql://');
    expect(wrong.out).not.toContain('hunter2-secret');
  }, 60_000);
});
