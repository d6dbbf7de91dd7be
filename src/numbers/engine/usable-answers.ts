import type { NumberProvider, ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import { cleanText } from '../../places/readable-place';
import { callingCodeOf, exactVerdict, type RejectReason } from './exact-filter';

/**
 * Longest carrier text kept (locality, administrative area, rate centre), in characters. Real place names and
 * rate-centre codes are far shorter (the longest US and UK place names are under 60); a longer one is no place
 * name, and is dropped rather than cut, since no place is better than a wrong one. Bounds what one number can
 * weigh in every store, whatever a carrier sends.
 */
export const MAX_CARRIER_TEXT = 100;

/** What trimming one carrier answer found: counted and logged once per answer, not once per search that reads it. */
export interface TrimReport {
  provider: string;
  /** Numbers the carrier sent. */
  received: number;
  /** Numbers judged before the search's limit was reached (the rest were not looked at). */
  judged: number;
  kept: number;
  /** Judged numbers that did not satisfy the search, by reason. */
  rejected: Partial<Record<RejectReason, number>>;
}

export interface TrimmedAnswer {
  numbers: ProviderNumber[];
  report: Omit<TrimReport, 'provider'>;
}

/**
 * What a search can use of one carrier's answer: its numbers that satisfy every filter of the query (the exact
 * filter's judgement, exact-filter.ts), in the carrier's order, each number once, at most `query.limit` of them,
 * text fields capped (MAX_CARRIER_TEXT) and features in our vocabulary. Everything else a carrier sends, up to the
 * 1 MiB body cap (thousands of numbers), is dropped before the answer is cached or memoised.
 *
 * This is correct for every search that reads the trimmed answer: answers are cached per canonical query
 * (src/domain/canonical-query.ts), which holds every filter the judgement applies (country, type, area code,
 * features) and the limit, so every search reading it asks the same and returns at most `limit` numbers from this
 * carrier. The place is left to the read (the exact filter derives it from data loaded then), so the kept numbers
 * are the carrier's own, only normalised. Never throws: a number it cannot judge is dropped as `unreadable`.
 */
export function trimAnswer(query: SearchQuery, numbers: readonly ProviderNumber[]): TrimmedAnswer {
  const kept: ProviderNumber[] = [];
  const seen = new Set<string>();
  const rejected: TrimReport['rejected'] = {};
  const list = Array.isArray(numbers) ? numbers : [];
  const callingCode = callingCodeOf(query.countryCode);
  let judged = 0;
  for (const n of list) {
    if (kept.length >= query.limit) break;
    judged++;
    let verdict: ReturnType<typeof exactVerdict>;
    try {
      verdict = exactVerdict(query, callingCode, n);
    } catch {
      verdict = 'unreadable';
    }
    if (typeof verdict === 'string') {
      rejected[verdict] = (rejected[verdict] ?? 0) + 1;
      continue;
    }
    // A number the carrier lists twice is one number: the first entry stands, as in the merge.
    if (seen.has(verdict.phoneNumber)) continue;
    seen.add(verdict.phoneNumber);
    kept.push(normalised(n, verdict.phoneNumber, verdict.features));
  }
  return { numbers: kept, report: { received: list.length, judged, kept: kept.length, rejected } };
}

/** The number as it is stored: E.164 as parsed, capped text, features in our vocabulary, nothing else the carrier added. */
function normalised(n: ProviderNumber, phoneNumber: string, features: ProviderNumber['features']): ProviderNumber {
  const locality = cappedText(n.locality);
  const administrativeArea = cappedText(n.administrativeArea);
  const rateCenter = cappedText(n.rateCenter);
  return {
    phoneNumber,
    ...(locality !== undefined && { locality }),
    ...(administrativeArea !== undefined && { administrativeArea }),
    ...(rateCenter !== undefined && { rateCenter }),
    features,
  };
}

function cappedText(v: unknown): string | undefined {
  const text = cleanText(v);
  return text !== undefined && text.length <= MAX_CARRIER_TEXT ? text : undefined;
}

/**
 * The carrier with its answers trimmed to what a search can use (trimAnswer), before anything caches or memoises
 * them: the composition (src/app/carriers.ts) puts it between each carrier's policies and the answer cache, so
 * this is the one place every carrier answer passes. `report` is told what each answer held (metrics and logs).
 */
export function usableAnswersOf(carrier: NumberProvider, report: (r: TrimReport) => void): NumberProvider {
  return {
    name: carrier.name,
    supports: (query) => carrier.supports(query),
    search: async (query: SearchQuery, ctx: SearchContext) => {
      const { numbers, report: found } = trimAnswer(query, await carrier.search(query, ctx));
      report({ provider: carrier.name, ...found });
      return numbers;
    },
  };
}

/** Where trimming is reported: the filtered-numbers counter and the search log. */
export interface TrimSinks {
  filteredNumbers: { inc(labels: { provider: string; reason: string }, value: number): void };
  info(fields: object, message: string): void;
}

/**
 * Counts the numbers a carrier sent that did not satisfy the search (provider_numbers_filtered_total, by reason),
 * once per carrier answer: a cached answer holds only exact numbers, so the searches reading it count nothing more.
 */
export function reportTrim(r: TrimReport, sinks: TrimSinks): void {
  let filtered = 0;
  for (const [reason, count] of Object.entries(r.rejected)) {
    sinks.filteredNumbers.inc({ provider: r.provider, reason }, count);
    filtered += count;
  }
  if (filtered > 0 || r.received > r.kept) {
    sinks.info(
      { provider: r.provider, received: r.received, judged: r.judged, kept: r.kept, filtered, rejected: r.rejected },
      `kept ${r.kept} of ${r.received} numbers from ${r.provider} (${filtered} inexact)`,
    );
  }
}
