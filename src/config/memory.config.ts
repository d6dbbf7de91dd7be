import { getHeapStatistics } from 'node:v8';
import type { ConfigProblems, Env } from './env';
import { readOptionalInt } from './parsers';

export interface MemoryConfig {
  /**
   * Bytes every in-process memo shares (MEMORY_BUDGET_MB); undefined: the default, a fraction of V8's heap limit
   * (src/memo/memory-budget.ts decides it, where the budget is applied).
   */
  budgetBytes: number | undefined;
}

/**
 * MEMORY_BUDGET_MB: what the in-process memos (answers, carrier answers without Redis, validated queries, usage
 * windows, offers, taken numbers, place tables) may hold together, in MB. At most V8's heap limit
 * (--max-old-space-size): a budget the heap cannot hold would end in an out-of-memory crash instead of evictions.
 */
export function readMemoryConfig(env: Env, problems: ConfigProblems, heapLimitBytes: number = getHeapStatistics().heap_size_limit): MemoryConfig {
  const heapMb = Math.max(1, Math.floor(heapLimitBytes / 2 ** 20));
  const example = String(Math.max(1, Math.floor(heapMb / 5)));
  const mb = readOptionalInt(env, problems, 'MEMORY_BUDGET_MB', 1, heapMb, example);
  return { budgetBytes: mb === undefined ? undefined : mb * 2 ** 20 };
}
