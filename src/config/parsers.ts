import type { ConfigProblems, Env } from './env';

/**
 * The readers every configuration file uses, so a variable of one kind is read and reported the same way
 * wherever it is defined. Unset or blank means "use the default"; a value that was given but is wrong is
 * reported (never defaulted silently) and the default is returned so every other problem is still found.
 */

/** A whole number within [min, max]. */
export function readInt(env: Env, problems: ConfigProblems, name: string, fallback: number, min: number, max: number, example = String(fallback)): number {
  return readOptionalInt(env, problems, name, min, max, example) ?? fallback;
}

/** A whole number within [min, max], or undefined when the variable is unset, blank or wrong (then reported). */
export function readOptionalInt(env: Env, problems: ConfigProblems, name: string, min: number, max: number, example: string): number | undefined {
  const value = (env[name] ?? '').trim();
  if (value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    problems.add(name, `must be a whole number from ${min} to ${max}, got "${value}"`, `${name}=${example}`);
    return undefined;
  }
  return Number(value);
}

/** `true` or `false`, any case: never "any non-empty value is true". */
export function readBool(env: Env, problems: ConfigProblems, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return fallback;
  const value = raw.toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  problems.add(name, `must be true or false, got "${raw}"`, `${name}=false`);
  return fallback;
}

/** A comma-separated list: items trimmed, empty items dropped. */
export function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** An absolute http(s) URL without credentials, returned without a trailing slash. */
export function readBaseUrl(env: Env, problems: ConfigProblems, variable: string, fallback: string): string {
  const raw = (env[variable] ?? '').trim();
  if (raw === '') return fallback;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    if (url.username || url.password) {
      problems.add(variable, 'must not contain credentials', `${variable}=${fallback}`);
      return fallback;
    }
    return raw.replace(/\/+$/, '');
  } catch {
    problems.add(variable, `is not an absolute http(s) URL`, `${variable}=${fallback}`);
    return fallback;
  }
}
