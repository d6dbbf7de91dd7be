/** Most memoised answers kept; the oldest written is dropped first. */
const MAX_ENTRIES = 2000;

/**
 * The serialised answer of a search whose every carrier answer is still fresh, kept in process until the
 * first of them goes stale. A repeated search then skips the fan-out, the merge and the serialisation;
 * it changes nothing a caller can see (same bytes, same X-Cache: HIT) and never outlives the cache TTL.
 */
export class ResponseMemo {
  private readonly entries = new Map<string, { body: string; until: number }>();

  get(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.body;
  }

  set(key: string, body: string, until: number): void {
    if (until <= Date.now()) return;
    this.entries.delete(key);
    this.entries.set(key, { body, until });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}
