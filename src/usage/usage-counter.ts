import { Memo } from '../memo/memo';
import type { UsageScope } from './usage-key';

/** A client's count in its current window. */
export interface UsageCount {
  count: number;
  /** Milliseconds until the window ends. */
  resetMs: number;
}

/** Counts one more request for a client, atomically, returning the new count (searches unless another scope is named). */
export interface UsageCounter {
  increment(client: string, windowMs: number, scope?: UsageScope): Promise<UsageCount>;
}

/** The injection token of the counter the usage module chose (Redis when configured, else in process). */
export const USAGE_COUNTER = Symbol('USAGE_COUNTER');

/**
 * Per-instance counting: used without Redis, and while Redis is down. The windows are an in-process memo
 * (clients are API keys: few; the bound is in src/memo/memo-bounds.ts).
 */
export class MemoryUsageCounter implements UsageCounter {
  private readonly windows = new Memo<{ count: number; resetAt: number }>('usageWindows');

  async increment(client: string, windowMs: number, scope: UsageScope = 'searches'): Promise<UsageCount> {
    const now = Date.now();
    const key = `${scope}:${client}`;
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetMs: w.resetAt - now };
  }
}
