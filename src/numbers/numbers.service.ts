import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { CacheOptions, CacheStatus } from '../cache/answer-cache';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { canonicalQuery } from '../domain/canonical-query';
import type { SearchContext } from '../domain/number-provider';
import type { ProviderError } from '../domain/provider-error';
import type { SearchQuery } from '../domain/search-query';
import { Memo } from '../memo/memo';
import { MetricsService } from '../metrics/metrics.service';
import { OFFER_BOOK, type OfferBook } from '../offers/offer-book';
import { SecretScrubber } from '../secrets/secret-scrubber';
import { TakenNumbers } from '../taken-numbers/taken-numbers';
import { totalFailureError } from './engine/failure-report';
import { mergeAnswers, type ProviderAnswer } from './engine/merge';
import { FanOut } from './fan-out';
import { SEARCH_CARRIERS, type SearchCarrier } from './search-carrier';

export interface SearchOutcome {
  /** `{"numbers":[...]}`, serialised once: the same answers always give the same bytes. */
  body: string;
  /** Carriers that failed while at least one answered (named in X-Provider-Errors). */
  failures: ProviderError[];
  /** The X-Cache header. */
  cache: CacheStatus;
}

/** How a search is served: its cache options, and the client it is for (carriers' capacity is shared fairly by client). */
export interface SearchOptions extends CacheOptions {
  client?: string;
}

const EMPTY = '{"numbers":[]}';

/**
 * Search = eligible carriers → parallel fan-out → exact filter → numbers orders hold removed → merge; or a 502
 * when all fail. The carriers that offered each number returned are remembered (the offer book), so that an
 * order buys it from one of them.
 */
@Injectable()
export class NumbersService {
  private readonly credentialVariables: Map<string, readonly string[]>;
  /**
   * The serialised answer of a search whose every carrier answer is still fresh, kept until the first of
   * them goes stale. A repeated search then skips the fan-out, the merge and the serialisation; it changes
   * nothing a caller can see (same bytes, same X-Cache: HIT) and never outlives the answers it was made of.
   */
  private readonly answers = new Memo<string>('searchAnswers');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SEARCH_CARRIERS) private readonly carriers: SearchCarrier[],
    private readonly fanOut: FanOut,
    private readonly metrics: MetricsService,
    @InjectPinoLogger('numbers') private readonly logger: PinoLogger,
    private readonly scrubber: SecretScrubber,
    private readonly taken: TakenNumbers,
    @Inject(OFFER_BOOK) private readonly offers: OfferBook,
  ) {
    this.credentialVariables = new Map(carriers.map((c) => [c.name, c.credentialVariables]));
    // A number an order takes leaves every remembered answer at once (a memo of at most its bound, scanned).
    taken.onTaken((phoneNumber) => this.forgetAnswersWith(phoneNumber));
  }

  async search(query: SearchQuery, trackingId: string, options: SearchOptions = { bypassCache: false }): Promise<SearchOutcome> {
    const memoKey = canonicalQuery(query);
    if (!options.bypassCache) {
      const body = this.memoisedAnswer(memoKey);
      if (body !== undefined) return { body, failures: [], cache: 'HIT' };
    }
    const eligible = this.carriers.filter((c) => c.supports(query));
    if (eligible.length === 0) {
      this.logger.info(
        { query, enabled: this.carriers.map((c) => c.name) },
        this.carriers.length === 0
          ? 'no provider is enabled: answering with no numbers'
          : 'no enabled provider can serve this country, type and features: answering with no numbers',
      );
      return { body: EMPTY, failures: [], cache: 'MISS' };
    }
    const timeout = this.config.requestTimeoutMs;
    const deadline: SearchContext = { signal: AbortSignal.timeout(timeout), trackingId, deadlineAt: Date.now() + timeout, client: options.client };
    const { answers, failures, cache, freshUntil } = await this.fanOut.run(eligible, query, deadline, options);
    if (answers.length === 0) {
      throw totalFailureError(failures, (p) => this.credentialVariables.get(p) ?? []);
    }
    const forSale = answers.map((a) => ({ provider: a.provider, numbers: a.numbers.filter((n) => !this.taken.has(n.phoneNumber)) }));
    const numbers = mergeAnswers(forSale, query.limit);
    await this.offers.record(offersOf(numbers.map((n) => n.phoneNumber), forSale));
    // Carrier text (localities) reaches the caller here: scrubbed once, then served from the memo as is.
    const body = this.scrubber.scrub(JSON.stringify({ numbers }));
    // Not memoised when an order took one of the numbers while the offers were written.
    if (failures.length === 0 && !numbers.some((n) => this.taken.has(n.phoneNumber))) this.answers.set(memoKey, body, freshUntil);
    return { body, failures, cache };
  }

  /**
   * The remembered answer of the search with this canonical key (src/domain/canonical-query.ts), while all
   * its carrier answers are fresh: a cache hit that needs no fan-out. The search fast path reads it too.
   */
  memoisedAnswer(canonicalKey: string): string | undefined {
    const body = this.answers.get(canonicalKey);
    if (body !== undefined) this.metrics.cacheEvents.inc({ result: 'memo' });
    return body;
  }

  private forgetAnswersWith(phoneNumber: string): void {
    const needle = `"phoneNumber":"${phoneNumber}"`;
    for (const key of this.answers.keys()) {
      if (this.answers.peek(key)?.includes(needle)) this.answers.delete(key);
    }
  }
}

/** Each number returned, with every carrier whose answer had it (highest priority first). */
function offersOf(returned: readonly string[], answers: readonly ProviderAnswer[]): Map<string, string[]> {
  const offers = new Map<string, string[]>(returned.map((n) => [n, []]));
  for (const answer of answers) {
    for (const n of answer.numbers) offers.get(n.phoneNumber)?.push(answer.provider);
  }
  return offers;
}
