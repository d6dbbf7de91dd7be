/**
 * Cheap estimates of what a value holds on the V8 heap, for bounding memos by bytes. Not exact (V8 decides
 * layouts), but proportional to what a value carries, which is what a bound needs: a carrier answer of 4 600
 * numbers weighs about 4 600 times one number, not 1 entry like any other.
 *
 * - a string: 2 bytes per character (UTF-16, the worst case; one-byte strings take half) plus a 16-byte header;
 * - a number, boolean, null or undefined: 8 bytes (a tagged slot);
 * - an array: a 16-byte header and 8 bytes per slot, plus its items;
 * - an object: a 24-byte header and 8 bytes per property slot (names are shared by the object's shape, so they
 *   are not counted), plus its values.
 * Nesting deeper than MAX_DEPTH counts as one slot: memo values are flat records, never deep trees.
 */
const MAX_DEPTH = 6;

export function estimateBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return 16 + 2 * value.length;
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return 8;
  if (Array.isArray(value)) {
    let bytes = 16 + 8 * value.length;
    for (const item of value) bytes += estimateBytes(item, depth + 1);
    return bytes;
  }
  let bytes = 24;
  for (const key in value) bytes += 8 + estimateBytes((value as Record<string, unknown>)[key], depth + 1);
  return bytes;
}

/** What the memo's map spends on one entry besides key and value (its node, slots and expiry), by estimate. */
export const ENTRY_OVERHEAD_BYTES = 96;
