import { loadConfig } from '../../src/config/app-config';
import { ConfigError } from '../../src/config/config-problems';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';

/** The lines start-up would stop with for this environment (none when it is valid). */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, PROVIDER_DEFINITIONS);
  } catch (e) {
    if (e instanceof ConfigError) return e.lines;
    throw e;
  }
  return [];
}
