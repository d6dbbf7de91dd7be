import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** CI's closing line: a suite that could not load fails the run as surely as a failed test. */
const SUMMARY = join(__dirname, '..', '..', 'scripts', 'ci-summary.js');
const GREEN = {
  success: true,
  numTotalTestSuites: 3,
  numPassedTestSuites: 3,
  numFailedTestSuites: 0,
  numRuntimeErrorTestSuites: 0,
  numPassedTests: 40,
  numFailedTests: 0,
  numPendingTests: 0,
};

describe('scripts/ci-summary.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-summary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function summarise(results: object | string): { status: number | null; line: string } {
    const file = join(dir, `r${Math.random()}.json`);
    writeFileSync(file, typeof results === 'string' ? results : JSON.stringify(results));
    const r = spawnSync(process.execPath, [SUMMARY, file], { encoding: 'utf8' });
    return { status: r.status, line: r.stdout.trim() };
  }

  it('passes a run where every suite ran and every test passed', () => {
    expect(summarise(GREEN)).toEqual({ status: 0, line: 'PASSED: 40 tests passed, 0 failed, 0 skipped; 3 of 3 suites passed, 0 failed, 0 could not run' });
  });

  it('fails a run where a suite failed to load, though no test failed', () => {
    const r = summarise({ ...GREEN, success: false, numPassedTestSuites: 2, numFailedTestSuites: 1, numRuntimeErrorTestSuites: 1 });
    expect(r.status).toBe(1);
    expect(r.line).toBe('FAILED: 40 tests passed, 0 failed, 0 skipped; 2 of 3 suites passed, 1 failed, 1 could not run');
  });

  it('fails a run with a failed test', () => {
    expect(summarise({ ...GREEN, success: false, numFailedTestSuites: 1, numFailedTests: 2 }).status).toBe(1);
  });

  it('fails when jest wrote no results', () => {
    expect(summarise('')).toEqual({ status: 1, line: expect.stringMatching(/^FAILED: jest wrote no results/) });
  });

  it('fails a run with no suite at all', () => {
    expect(summarise({ ...GREEN, numTotalTestSuites: 0, numPassedTestSuites: 0 }).status).toBe(1);
  });
});
