import { FORMAT_VERSION } from '../redis/key-format';

/** A client's request count in its current usage window (hash tag: the script's one key, one slot). */
export function usageKey(prefix: string, client: string): string {
  return `${prefix}:${FORMAT_VERSION}:usage:{${client}}`;
}
