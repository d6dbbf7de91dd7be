import { isSupportedCountry } from 'libphonenumber-js/max';
import type { Feature, NumberType } from '../../domain/search-query';
import { basicAuth } from '../http/basic-auth';
import type { ProviderHttp, ProviderResponse } from '../http/provider-http-client';
import { ProviderError } from '../../domain/provider-error';
import type { NumberProvider, ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import type { ProviderDefinition } from '../provider-definition';
import { readPlivoConfig, type PlivoConfig } from './plivo.config';
import { plivoError } from './plivo.errors';
import { createPlivoOrdering } from './plivo.ordering';
import type { PlivoPhoneNumber, PlivoSearchResponse, PlivoSearchType, PlivoServices } from './plivo.types';
import { E164 } from '../../domain/e164';

/** `limit` maximum (§2.2, §2.5 quirk 3): more numbers need offset paging. */
export const PLIVO_PAGE_CAP = 20;

/**
 * Most pages one search reads (100 numbers): enough for limit 50 even when post-filtering drops some, and a
 * bound on what one search spends of the account's 300 requests per 5 s (§2.4).
 */
export const PLIVO_MAX_PAGES = 5;

/** '+' + number must be E.164 (§2.5 quirk 1); anything else is a malformed item. */

/** Our type → the `type` filter (§2.2, §8). Local and national answer as `fixed` with a sub_type. */
const TYPE: Record<NumberType, PlivoSearchType> = { local: 'local', toll_free: 'tollfree', mobile: 'mobile', national: 'national' };

/** The documented `services` values and the features each requires (§2.2). */
const SERVICES: readonly { value: PlivoServices; requires: readonly Feature[] }[] = [
  { value: 'voice,sms,mms', requires: ['voice', 'sms', 'mms'] },
  { value: 'voice,sms', requires: ['voice', 'sms'] },
  // mms before sms and voice: where two single values fit, the rarer feature leaves less to post-filter.
  { value: 'mms', requires: ['mms'] },
  { value: 'sms', requires: ['sms'] },
  { value: 'voice', requires: ['voice'] },
];

interface Page {
  numbers: ProviderNumber[];
  /** Whether meta.next names another page (null, "" or absent: no). */
  more: boolean;
  total?: number;
}

export class PlivoProvider implements NumberProvider {
  readonly name = 'plivo';
  private readonly authorization: string;
  private readonly url: string;

  constructor(
    config: PlivoConfig,
    private readonly http: ProviderHttp,
  ) {
    this.authorization = basicAuth(config.authId, config.authToken);
    // The auth id is also in the path, and the trailing slash is part of the documented path (§2.1).
    this.url = `${config.baseUrl}/v1/Account/${encodeURIComponent(config.authId)}/PhoneNumber/`;
  }

  supports(query: SearchQuery): boolean {
    // Plivo reports sms/mms/voice only (§2.3): a fax requirement could never be verified.
    if (query.features.includes('fax')) return false;
    // A malformed country_iso is a 400 (§2.4); an unknown but well-formed one is only an empty answer.
    return isSupportedCountry(query.countryCode);
  }

  /**
   * Pages of at most 20 (§2.5 quirk 3): the first page alone, then the pages still needed in parallel
   * (bounded by meta.total_count and PLIVO_MAX_PAGES), all under ctx.signal. Paging stops when meta.next is
   * null or "" or a page comes back empty (§2.3).
   */
  async search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    const services = servicesFor(query.features);
    // When `services` says exactly what was asked, each page asks for what is still missing; otherwise full
    // pages, since post-filtering will drop some.
    const exact = services === undefined ? query.features.length === 0 : sameSet(services.requires, query.features);
    const pageLimit = (offset: number) => (exact ? Math.min(PLIVO_PAGE_CAP, query.limit - offset) : PLIVO_PAGE_CAP);
    const found = new Map<string, ProviderNumber>();
    const keep = (page: Page) => {
      for (const n of page.numbers) {
        // Post-filter on the booleans: `services` may be looser than the query (servicesFor).
        if (query.features.every((f) => n.features.includes(f)) && !found.has(n.phoneNumber)) found.set(n.phoneNumber, n);
      }
    };

    let offset = 0;
    let pages = 1;
    const first = await this.page(query, services?.value, pageLimit(0), 0, ctx);
    keep(first);
    offset += pageLimit(0);
    let more = first.more;
    let total = first.total;
    while (more && found.size < query.limit && pages < PLIVO_MAX_PAGES && (total === undefined || offset < total)) {
      const wanted = Math.ceil((query.limit - found.size) / PLIVO_PAGE_CAP);
      const available = total === undefined ? wanted : Math.ceil((total - offset) / PLIVO_PAGE_CAP);
      const count = Math.max(1, Math.min(wanted, available, PLIVO_MAX_PAGES - pages));
      const offsets: number[] = [];
      for (let i = 0; i < count && (!exact || offset < query.limit); i++) {
        offsets.push(offset);
        offset += pageLimit(offset);
      }
      if (offsets.length === 0) break;
      const batch = await Promise.all(offsets.map((o) => this.page(query, services?.value, pageLimit(o), o, ctx)));
      pages += batch.length;
      batch.forEach(keep);
      more = batch.every((p) => p.more);
      total = batch[batch.length - 1].total ?? total;
    }
    return [...found.values()].slice(0, query.limit);
  }

  private async page(query: SearchQuery, services: PlivoServices | undefined, limit: number, offset: number, ctx: SearchContext): Promise<Page> {
    const res = await this.http.request({
      url: this.url,
      query: plivoQuery(query, services, limit, offset),
      headers: { authorization: this.authorization, accept: 'application/json' },
      signal: ctx.signal,
    });
    if (!res.ok) throw plivoError(res);
    return readPage(res);
  }
}

/** country_iso, type, pattern (the area code: Plivo prepends the country code, §2.2), services, limit, offset. */
export function plivoQuery(query: SearchQuery, services: PlivoServices | undefined, limit: number, offset: number): URLSearchParams {
  const q = new URLSearchParams();
  q.set('country_iso', query.countryCode);
  q.set('type', TYPE[query.phoneNumberType]);
  if (query.areaCode) q.set('pattern', query.areaCode);
  if (services) q.set('services', services);
  q.set('limit', String(Math.min(limit, PLIVO_PAGE_CAP)));
  q.set('offset', String(offset));
  return q;
}

/**
 * The documented `services` value for a feature set: the one requiring the most of the requested features
 * and nothing else, so that no matching number is excluded (sms+mms → `mms`, voice+mms → `mms`; the
 * booleans are then checked, §2.2). Without features none is sent (Plivo's default: voice or SMS).
 */
export function servicesFor(features: readonly Feature[]): { value: PlivoServices; requires: readonly Feature[] } | undefined {
  return SERVICES.find((s) => s.requires.every((f) => features.includes(f)));
}

function sameSet(a: readonly Feature[], b: readonly Feature[]): boolean {
  return a.length === b.length && a.every((f) => b.includes(f));
}

/**
 * A 200 page. `objects` must be an array, except that a non-empty `error` with no objects is Plivo's way of
 * saying nothing matched (§2.3): decided by the status, not by the presence of `error`.
 */
function readPage(res: ProviderResponse): Page {
  const body = res.json() as PlivoSearchResponse;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badResponse(res, 'answered with a body that is not an object');
  const meta = typeof body.meta === 'object' && body.meta !== null ? body.meta : {};
  const total = typeof meta.total_count === 'number' ? meta.total_count : undefined;
  if (!Array.isArray(body.objects)) {
    const noMatch = (body.objects === undefined || body.objects === null) && typeof body.error === 'string' && body.error.trim() !== '';
    if (noMatch) return { numbers: [], more: false, total };
    throw badResponse(res, 'answered without an objects array');
  }
  return {
    numbers: body.objects.flatMap(toNumber),
    more: body.objects.length > 0 && typeof meta.next === 'string' && meta.next.trim() !== '',
    total,
  };
}

function badResponse(res: ProviderResponse, message: string): ProviderError {
  return new ProviderError({ provider: 'plivo', kind: 'bad_response', httpStatus: res.status, message });
}

function toNumber(item: PlivoPhoneNumber): ProviderNumber[] {
  if (typeof item !== 'object' || item === null) return [];
  const digits = typeof item.number === 'string' ? item.number.trim() : typeof item.number === 'number' ? String(item.number) : '';
  const phoneNumber = digits.startsWith('+') ? digits : `+${digits}`;
  if (!E164.test(phoneNumber)) return [];
  // Booleans, missing = false (mms_enabled is absent from some answers, §2.3).
  const features: Feature[] = [];
  if (item.sms_enabled === true) features.push('sms');
  if (item.mms_enabled === true) features.push('mms');
  if (item.voice_enabled === true) features.push('voice');
  const city = typeof item.city === 'string' ? item.city.trim() : '';
  const rateCenter = typeof item.rate_center === 'string' ? item.rate_center.trim() : '';
  // Locality from `city`; `region` is "city and country", not an administrative area (§8).
  return [{ phoneNumber, ...(city ? { locality: city } : {}), ...(rateCenter ? { rateCenter } : {}), features }];
}

export const plivoProvider: ProviderDefinition<PlivoConfig> = {
  name: 'plivo',
  secretEnv: ['PLIVO_AUTH_TOKEN'],
  basicAuthEnv: ['PLIVO_AUTH_ID', 'PLIVO_AUTH_TOKEN'],
  readConfig: readPlivoConfig,
  create: (config, deps) => new PlivoProvider(config, deps.http),
  createOrdering: createPlivoOrdering,
};
