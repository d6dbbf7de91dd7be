import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The repository stands on its own: its tracked files, copied into a fresh folder with nothing beside it,
 * pass the suite that loads every fixture, contract and document the service and its tests read.
 */
const root = join(__dirname, '..', '..');

describe('a copy of the tracked files, alone in a fresh folder', () => {
  let folder: string;
  let copy: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'numbers-gateway-alone-'));
    copy = join(folder, 'repo');
    const tracked = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
    expect(tracked.status).toBe(0);
    for (const file of tracked.stdout.split('\0').filter(Boolean)) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(root, file), join(copy, file));
    }
    // Installed packages are not part of the repository; the copy uses the ones `npm ci` installed here.
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('passes the fixture suite', () => {
    const results = join(folder, 'results.json');
    const jest = spawnSync(
      process.execPath,
      [join(copy, 'node_modules', 'jest', 'bin', 'jest.js'), '--rootDir', copy, '--ci', '--json', '--outputFile', results, 'test/unit/fixtures.spec.ts'],
      { cwd: copy, encoding: 'utf8', timeout: 120_000 },
    );
    expect({ status: jest.status, stderr: jest.status === 0 ? '' : jest.stderr }).toEqual({ status: 0, stderr: '' });
    const r = JSON.parse(readFileSync(results, 'utf8'));
    expect(r.numFailedTestSuites + r.numRuntimeErrorTestSuites + r.numFailedTests).toBe(0);
    expect(r.numPassedTests).toBeGreaterThanOrEqual(8);
  });
});
