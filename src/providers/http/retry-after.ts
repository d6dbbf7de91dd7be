/**
 * Reads how long a carrier asked us to wait, in whole seconds, from the headers carriers use:
 * `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3), Telnyx `x-ratelimit-reset` (seconds until the
 * reset, docs/carriers/telnyx-twilio.md §1.6) and Bandwidth `X-RateLimit-Reset` (epoch seconds, §3.4 of
 * the other reference). Values that are epoch timestamps are told apart by size.
 */
export function retryAfterSeconds(
  header: (name: string) => string | undefined,
  now: number = Date.now(),
): number | undefined {
  const retryAfter = header('retry-after');
  if (retryAfter !== undefined) {
    const parsed = parseSecondsOrDate(retryAfter.trim(), now);
    if (parsed !== undefined) return parsed;
  }
  const reset = header('x-ratelimit-reset');
  if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset.trim())) {
    const value = Number(reset.trim());
    // Anything past 2001-09-09 in epoch seconds is a timestamp, not a delay.
    if (value > 1_000_000_000) return Math.max(0, Math.ceil(value - now / 1000));
    return Math.ceil(value);
  }
  return undefined;
}

function parseSecondsOrDate(value: string, now: number): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
