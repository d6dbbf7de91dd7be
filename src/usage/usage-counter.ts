/** A client's count in its current window. */
export interface UsageCount {
  count: number;
  /** Milliseconds until the window ends. */
  resetMs: number;
}

/** Counts one more request for a client, atomically, returning the new count. */
export interface UsageCounter {
  increment(client: string, windowMs: number): Promise<UsageCount>;
}

/** Clients counted in process at most (clients are API keys: few). */
const MAX_CLIENTS = 10_000;

/** Per-instance counting: used without Redis, and while Redis is down. */
export class MemoryUsageCounter implements UsageCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async increment(client: string, windowMs: number): Promise<UsageCount> {
    const now = Date.now();
    let w = this.windows.get(client);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.delete(client);
      this.windows.set(client, w);
      while (this.windows.size > MAX_CLIENTS) this.windows.delete(this.windows.keys().next().value as string);
    }
    w.count++;
    return { count: w.count, resetMs: w.resetAt - now };
  }
}
