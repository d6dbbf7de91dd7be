// The closing line of CI, read from jest's --json results: it counts what did not run as well as what failed
// (a suite that fails to load has no failed test, only a failed suite). Exits 1 unless everything ran and passed.
'use strict';
const { readFileSync } = require('node:fs');

let r;
try {
  r = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch {
  console.log('FAILED: jest wrote no results (the type check, the lint or jest itself failed before any suite ran)');
  process.exit(1);
}
const ok =
  r.success === true &&
  r.numTotalTestSuites > 0 &&
  r.numFailedTestSuites === 0 &&
  r.numRuntimeErrorTestSuites === 0 &&
  r.numFailedTests === 0;
console.log(
  `${ok ? 'PASSED' : 'FAILED'}: ${r.numPassedTests} tests passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped; ` +
    `${r.numPassedTestSuites} of ${r.numTotalTestSuites} suites passed, ${r.numFailedTestSuites} failed, ` +
    `${r.numRuntimeErrorTestSuites} could not run`,
);
process.exit(ok ? 0 : 1);
