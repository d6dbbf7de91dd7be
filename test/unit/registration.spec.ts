import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';

/**
 * A carrier is one folder under src/providers plus one line in registry.ts: every folder is registered
 * once, under its folder's name, and no file outside src/providers names a carrier or its variables.
 */
const root = join(__dirname, '..', '..');
const providers = join(root, 'src', 'providers');
/** The folders every carrier shares: HTTP, and the outcomes of buying numbers. */
const SHARED = ['http', 'ordering'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

describe('carrier registration', () => {
  it('registers every carrier folder exactly once, under the folder\'s name', () => {
    const folders = readdirSync(providers).filter((name) => !SHARED.includes(name) && statSync(join(providers, name)).isDirectory());
    const names = PROVIDER_DEFINITIONS.map((d) => d.name);
    expect([...names].sort()).toEqual([...folders].sort());
    expect(new Set(names).size).toBe(names.length);
    const registry = readFileSync(join(providers, 'registry.ts'), 'utf8');
    for (const name of names) expect(registry.match(new RegExp(`^  ${name}Provider,$`, 'gm'))).toHaveLength(1);
  });

  it('keeps every carrier name and variable inside its folder: nothing else needs editing to add one', () => {
    const outside = sourceFiles(join(root, 'src')).filter((p) => !p.startsWith(providers));
    const names = PROVIDER_DEFINITIONS.map((d) => d.name);
    const mentions = outside.flatMap((p) => {
      const text = readFileSync(p, 'utf8');
      return names.filter((n) => new RegExp(`['"\`]${n}['"\`]|\\b${n.toUpperCase()}_[A-Z_]+\\b`).test(text)).map((n) => `${p.slice(root.length + 1)}: ${n}`);
    });
    expect(mentions).toEqual([]);
  });
});
