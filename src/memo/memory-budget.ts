import { getHeapStatistics } from 'node:v8';

/**
 * The bytes every in-process memo of the service shares (MEMORY_BUDGET_MB), each memo taking its declared share
 * (memo-bounds.ts). Process-wide on purpose: memos are built in many places (stores, pipes, services), and all of
 * them must fit one heap whatever builds them. The composition sets it from the validated configuration before
 * anything is built; until then (tests, tools) the default applies.
 */

/** The default budget is this fraction of V8's heap limit: the memos may fill a fifth of the heap, the rest is the service's. */
export const DEFAULT_BUDGET_FRACTION = 1 / 5;
/** Bounds of the default, so a tiny heap still caches something and a huge one does not hoard. */
const MIN_DEFAULT_BYTES = 8 * 2 ** 20;
const MAX_DEFAULT_BYTES = 256 * 2 ** 20;

/**
 * The default budget: a fifth of V8's heap limit (v8.getHeapStatistics().heap_size_limit, which
 * --max-old-space-size and --max-semi-space-size decide), between 8 and 256 MB. With the Docker image's flags
 * (--max-old-space-size=128 --max-semi-space-size=2: a 134 MB heap) that is 26 MB.
 */
export function defaultMemoryBudgetBytes(heapLimitBytes: number = getHeapStatistics().heap_size_limit): number {
  return Math.round(Math.min(MAX_DEFAULT_BYTES, Math.max(MIN_DEFAULT_BYTES, heapLimitBytes * DEFAULT_BUDGET_FRACTION)));
}

let budgetBytes: number | undefined;

/** Sets the budget memos built from now on share (the composition calls it once, at start-up). */
export function setMemoryBudget(bytes: number): void {
  if (!Number.isFinite(bytes) || bytes <= 0) throw new RangeError(`a memory budget must be a positive number of bytes, got ${bytes}`);
  budgetBytes = bytes;
}

/** The budget in bytes: the one set, or the default. */
export function memoryBudgetBytes(): number {
  return budgetBytes ?? defaultMemoryBudgetBytes();
}
