// Stops an npm script at once, with one sentence, when the running Node.js is not the line the project
// supports (package.json "engines", the same line as .node-version, the Dockerfile and CI).
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const wanted = readFileSync(join(root, '.node-version'), 'utf8').trim();
const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
const [major, minor] = process.versions.node.split('.').map(Number);
const [wantedMajor] = wanted.split('.').map(Number);
const minMinor = Number((/^\^\d+\.(\d+)/.exec(range) ?? [])[1] ?? 0);
if (major !== wantedMajor || minor < minMinor) {
  console.error(
    `numbers-gateway runs on Node.js ${range} (LTS; CI and the Docker image use ${wanted}), but this is Node.js ${process.version}: ` +
      `install Node.js ${wantedMajor} (on Linux x64: export PATH="$(scripts/install-node.sh):$PATH").`,
  );
  process.exit(1);
}
