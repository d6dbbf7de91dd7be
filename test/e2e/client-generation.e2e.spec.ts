import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { serialiseDocument } from '../../scripts/client/files';
import { startApp, type RunningApp } from '../support/app';

/**
 * The client is generated from the document the running service serves: `npm run client:generate` writes it
 * into a temporary folder, the hand-written client compiles under `strict` on top of that fresh generation,
 * and the committed client/openapi.json and client/src/schema.ts must equal what it produced.
 */
const root = join(__dirname, '..', '..');
const clientDir = join(root, 'client');
const REGENERATE = 'run `npm run client:generate` and commit client/openapi.json and client/src/schema.ts';

let app: RunningApp;
let served: string;
let folder: string;
/** A copy of the client package whose openapi.json and src/schema.ts were generated in this run. */
let fresh: string;

beforeAll(async () => {
  app = await startApp();
  const response = await app.get('/openapi.json', {});
  expect(response.status).toBe(200);
  served = serialiseDocument(await response.json());

  folder = mkdtempSync(join(tmpdir(), 'numbers-client-'));
  fresh = join(folder, 'client');
  // The hand-written part of the package, without the committed generated files.
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'examples']) {
    cpSync(join(clientDir, entry), join(fresh, entry), { recursive: true });
  }
  rmSync(join(fresh, 'openapi.json'), { force: true });
  rmSync(join(fresh, 'src', 'schema.ts'));
  symlinkSync(join(root, 'node_modules'), join(fresh, 'node_modules'), 'dir');

  const npm = spawnSync('npm', ['run', '--silent', 'client:generate', '--', '--out', fresh], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    timeout: 120_000,
  });
  expect({ status: npm.status, stderr: npm.stderr }).toEqual({ status: 0, stderr: '' });
}, 150_000);

afterAll(async () => {
  await app.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('npm run client:generate', () => {
  it('writes the document exactly as GET /openapi.json serves it', () => {
    expect(readFileSync(join(fresh, 'openapi.json'), 'utf8')).toBe(served);
  });

  it('writes the types of every path and operation of the document', () => {
    const schema = readFileSync(join(fresh, 'src', 'schema.ts'), 'utf8');
    const document = JSON.parse(served) as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const [path, item] of Object.entries(document.paths)) {
      expect(schema).toContain(`"${path}": {`);
      for (const operation of Object.values(item)) expect(schema).toContain(`    ${operation.operationId}: {`);
    }
  });
});

describe('the committed client is up to date with the served document', () => {
  it('client/openapi.json is the served document', () => {
    const committed = readFileSync(join(clientDir, 'openapi.json'), 'utf8');
    if (committed !== served) {
      throw new Error(`client/openapi.json differs from what GET /openapi.json serves (${firstDifference(committed, served, 'served')}): ${REGENERATE}.`);
    }
  });

  it('client/src/schema.ts is what the generator makes of it', () => {
    const committed = readFileSync(join(clientDir, 'src', 'schema.ts'), 'utf8');
    const generated = readFileSync(join(fresh, 'src', 'schema.ts'), 'utf8');
    if (committed !== generated) {
      throw new Error(`client/src/schema.ts differs from a fresh generation (${firstDifference(committed, generated, 'generated')}): ${REGENERATE}.`);
    }
  });
});

describe('the client on top of the fresh generation', () => {
  it('compiles under strict with the client’s tsconfig, the README example included', () => {
    expect(diagnostics(join(fresh, 'tsconfig.json'))).toEqual([]);
  });

  it('builds to JavaScript and declarations where package.json points, and loads', () => {
    const built = join(fresh, 'tsconfig.build.json');
    expect(diagnostics(built, true)).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(fresh, 'package.json'), 'utf8'));
    for (const file of [pkg.main, pkg.types, pkg.exports['.'].types, pkg.exports['.'].default]) {
      expect({ file, exists: existsSync(join(fresh, file)) }).toEqual({ file, exists: true });
    }
    for (const file of pkg.files) expect({ file, exists: existsSync(join(fresh, file)) }).toEqual({ file, exists: true });
    // Loaded by name from a caller's folder, as CommonJS and as an ES module.
    const caller = join(folder, 'caller');
    mkdirSync(join(caller, 'node_modules', '@numbers-gateway'), { recursive: true });
    symlinkSync(fresh, join(caller, 'node_modules', '@numbers-gateway', 'client'), 'dir');
    const probes = {
      require: `const c = require('@numbers-gateway/client'); process.stdout.write(typeof c.createNumbersClient + ' ' + typeof c.unwrap)`,
      import: `import { createNumbersClient, unwrap } from '@numbers-gateway/client'; process.stdout.write(typeof createNumbersClient + ' ' + typeof unwrap)`,
    };
    for (const [how, code] of Object.entries(probes)) {
      const args = how === 'import' ? ['--input-type=module', '-e', code] : ['-e', code];
      const load = spawnSync(process.execPath, args, { cwd: caller, encoding: 'utf8' });
      expect({ how, stdout: load.stdout, stderr: load.stderr }).toEqual({ how, stdout: 'function function', stderr: '' });
    }
  });

  it('makes a switch on error.code compile only when every code is handled', () => {
    const codes = [
      'validation_error', 'unauthorized', 'usage_limit_exceeded', 'internal_error', 'provider_error', 'usage_unavailable',
      'timeout', 'aborted', 'network_error', 'unexpected_response',
    ];
    const handler = (handled: string[]) => `import type { SearchError } from '@numbers-gateway/client';
export function describe(error: SearchError): string {
  switch (error.code) {
${handled.map((code) => `    case '${code}':`).join('\n')}
      return error.message;
    default: {
      const unhandled: never = error;
      return unhandled;
    }
  }
}
`;
    const dir = join(fresh, 'examples', 'exhaustive');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'all.ts'), handler(codes));
    for (const missing of codes) writeFileSync(join(dir, `without-${missing}.ts`), handler(codes.filter((c) => c !== missing)));

    const found = diagnostics(join(fresh, 'tsconfig.json'));
    const byFile = new Map<string, string[]>();
    for (const d of found) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d.text]);
    expect(byFile.get('examples/exhaustive/all.ts')).toBeUndefined();
    for (const missing of codes) {
      expect({ missing, errors: byFile.get(`examples/exhaustive/without-${missing}.ts`) }).toEqual({
        missing,
        errors: [expect.stringMatching(/is not assignable to type 'never'/)],
      });
    }
    expect(found.filter((d) => !d.file.startsWith('examples/exhaustive/'))).toEqual([]);
  });
});

describe('the package', () => {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const clientPkg = JSON.parse(readFileSync(join(clientDir, 'package.json'), 'utf8'));

  it('needs nothing at run time that the root npm ci does not install, at the same version', () => {
    for (const [name, version] of Object.entries<string>(clientPkg.dependencies)) {
      expect({ name, root: rootPkg.devDependencies[name] ?? rootPkg.dependencies[name] }).toEqual({ name, root: version });
    }
    for (const [name, version] of Object.entries<string>(clientPkg.devDependencies)) {
      expect({ name, root: rootPkg.devDependencies[name] }).toEqual({ name, root: version });
    }
  });

  it('shows in both READMEs the example the tests compile', () => {
    const example = readFileSync(join(clientDir, 'examples', 'search.ts'), 'utf8');
    for (const readme of ['README.md', 'client/README.md']) {
      if (!readFileSync(join(root, readme), 'utf8').includes(`\`\`\`ts\n${example}\`\`\``)) {
        throw new Error(`${readme} must show client/examples/search.ts, unchanged, in a \`\`\`ts block: paste the file there.`);
      }
    }
  });
});

/** Every problem tsc reports for a tsconfig (emitting when asked), as "file: message", paths relative to it. */
function diagnostics(configPath: string, emit = false): { file: string; text: string }[] {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const found = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  if (emit) found.push(...program.emit().diagnostics);
  const base = dirname(configPath);
  return found.map((d) => ({
    file: d.file ? d.file.fileName.replace(`${base}/`, '') : '(config)',
    text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

function firstDifference(a: string, b: string, label: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((text, i) => text !== right[i]);
  const at = line === -1 ? left.length : line;
  return `first difference at line ${at + 1}: committed ${JSON.stringify(left[at] ?? '(end)')}, ${label} ${JSON.stringify(right[at] ?? '(end)')}`;
}
