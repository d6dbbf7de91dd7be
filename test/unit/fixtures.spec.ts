import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadContract } from '../support/contract';
import { OpenApiValidator, PROVIDER_SPECS } from '../support/openapi-request-validator';

/**
 * Every file the product, its tests and its docs read lives in the repository: this suite loads each of them.
 * test/unit/standalone.spec.ts runs it again in a copy of the tracked files with nothing beside it.
 */
const root = join(__dirname, '..', '..');

describe('files the service, tests and docs read', () => {
  it('the HTTP contract parses and defines the search and orders paths', () => {
    const contract = loadContract();
    expect(Object.keys(contract.paths)).toEqual(expect.arrayContaining(['/numbers/available', '/numbers/orders', '/numbers/orders/{orderId}']));
    expect(contract.components.schemas.ErrorResponse).toBeDefined();
  });

  it('the configuration contract names the variables', () => {
    const text = readFileSync(join(root, 'contract', 'configuration.md'), 'utf8');
    expect(text).toContain('`API_KEYS`');
    expect(text).toContain('`REDIS_URL`');
  });

  const specs = readdirSync(PROVIDER_SPECS).filter((f) => /\.openapi\.(ya?ml|json)$/.test(f));

  it('has the carriers’ official specs', () => {
    expect(specs.length).toBeGreaterThanOrEqual(6);
  });

  it.each(specs)('the carrier spec %s loads and names its origin', (file) => {
    const text = readFileSync(join(PROVIDER_SPECS, file), 'utf8');
    expect(text).toMatch(/x-extracted-from|Extracted|Copied unchanged|x-derived-from/);
    expect(() => new OpenApiValidator(file)).not.toThrow();
  });

  it('every repository document a comment or README cites exists', () => {
    const cited = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
        const p = join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.(ts|md|ya?ml)$/.test(entry.name)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/(?<![\w/.-])((?:docs|contract)\/[\w./-]+\.(?:md|ya?ml))/g)) cited.add(m[1]);
        }
      }
    };
    for (const dir of ['src', 'emulators', 'test', 'bench', 'scripts']) walk(join(root, dir));
    expect(cited.size).toBeGreaterThan(0);
    expect([...cited].filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });
});
