import type { ConfigProblems, Env } from './env';

/**
 * Reads a carrier's credential variables. All unset: the carrier is disabled (undefined). All set: their
 * values. Only some set: a start-up problem, since that is always a deployment mistake.
 */
export function readCredentials<K extends string>(
  env: Env,
  problems: ConfigProblems,
  provider: string,
  variables: readonly K[],
): Record<K, string> | undefined {
  const values = variables.map((v) => (env[v] ?? '').trim());
  const set = values.filter((v) => v !== '').length;
  if (set === 0) return undefined;
  if (set < variables.length) {
    for (const [i, v] of variables.entries()) {
      if (values[i] === '') {
        problems.add(v, `is empty while the other ${provider} credentials are set (${variables.join(', ')})`, `${v}=<your ${provider} value>`);
      }
    }
    return undefined;
  }
  return Object.fromEntries(variables.map((v, i) => [v, values[i]])) as Record<K, string>;
}
