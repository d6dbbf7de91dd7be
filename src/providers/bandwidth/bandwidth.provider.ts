import { basicAuth } from '../http/basic-auth';
import type { ProviderHttp, ProviderResponse } from '../http/provider-http-client';
import { ProviderError } from '../../domain/provider-error';
import type { NumberProvider, ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import type { ProviderDefinition } from '../provider-definition';
import { readBandwidthConfig, type BandwidthConfig } from './bandwidth.config';
import { bandwidthCodeError, bandwidthError, NO_NUMBERS_IN_AREA } from './bandwidth.errors';
import { createBandwidthOrdering } from './bandwidth.ordering';
import type { BandwidthSearchResult, BandwidthTelephoneNumberDetail } from './bandwidth.types';
import { findBandwidthError, parseBandwidthXml, xmlList, xmlText } from './bandwidth.xml';

/** Bandwidth's inventory is NANP only and there is no country parameter (vonage-…-sinch.md §3.2). */
const COUNTRIES: ReadonlySet<string> = new Set(['US', 'CA']);

/** `quantity` is 1–5000 (§3.2); the engine never asks for more than 50. */
const MAX_QUANTITY = 5000;

/** The keys the adapter can express an area code with (§3.2): an NPA, or an NPA-NXX. */
const NPA = /^[2-9]\d{2}$/;
const NPA_NXX = /^[2-9]\d{2}[2-9]\d{2}$/;

/** Numbers come as 10 NANP digits without +1 (§3.6 quirk 2); some tools prefix the 1. */
const TEN_DIGITS = /^[2-9]\d{9}$/;

export class BandwidthProvider implements NumberProvider {
  readonly name = 'bandwidth';
  private readonly url: string;
  private readonly authorization: string;

  constructor(
    config: BandwidthConfig,
    private readonly http: ProviderHttp,
  ) {
    this.url = `${config.baseUrl}/accounts/${encodeURIComponent(config.accountId)}/availableNumbers`;
    this.authorization = basicAuth(config.username, config.password);
  }

  supports(query: SearchQuery): boolean {
    if (!COUNTRIES.has(query.countryCode)) return false;
    // No capability data at all (§3.6 quirk 4): a search asking for features could only get unverified
    // numbers, so Bandwidth is left out of it rather than trusted.
    if (query.features.length > 0) return false;
    return bandwidthQuery(query) !== undefined;
  }

  async search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    const params = bandwidthQuery(query);
    if (!params) return []; // supports() is false: the engine never gets here
    const res = await this.http.request({
      url: this.url,
      query: params,
      headers: { authorization: this.authorization, accept: 'application/xml' },
      signal: ctx.signal,
    });
    if (!res.ok) {
      const error = bandwidthError(res);
      if (error.providerCode === NO_NUMBERS_IN_AREA) return [];
      throw error;
    }
    return readSearchResult(res);
  }
}

/**
 * The wire query, or undefined when Bandwidth cannot express the search (supports() is false then). Only
 * combinations the official spec's search-type table admits are sent (§3.6 quirk 3; the table is in
 * test/fixtures/carrier-specs/bandwidth-available-numbers.openapi.yaml):
 * - Local needs a "required search key" (4010 otherwise, §3.2): the area code as `areaCode` (3 digits)
 *   or `npaNxx` (6 digits). A country-wide local search has no key Bandwidth accepts, and other prefix
 *   lengths have none either (see README).
 * - The Area Code search takes no `LCA`, so none is sent with `areaCode`; the exact filter drops any
 *   neighbouring area code that comes back anyway. The NPA-NXX search takes `LCA` (its "with Local Calling
 *   Area" row), whose default true mixes in neighbouring exchanges: `LCA=false` there.
 * - `enableTNDetail=true` brings City and State (§3.3); every local row allows it.
 * - Toll-free is a search mode, not a type (§3.6 quirk 6): `tollFreeWildCardPattern`, three characters
 *   like `8**`, `80*`, `87*` (§3.2). An area code is narrowed to its first two digits (`800` → `80*`,
 *   which holds exactly one toll-free NPA), the form the reference's examples show. The spec combines a
 *   toll-free search only with orderBy and quantity, so nothing else is sent.
 * - `quantity` is always explicit: it defaults to 5000 (§3.6 quirk 5).
 */
export function bandwidthQuery(query: SearchQuery): URLSearchParams | undefined {
  const q = new URLSearchParams();
  const quantity = String(Math.min(Math.max(1, query.limit), MAX_QUANTITY));
  const area = query.areaCode;
  switch (query.phoneNumberType) {
    case 'local':
      if (area !== undefined && NPA.test(area)) q.set('areaCode', area);
      else if (area !== undefined && NPA_NXX.test(area)) {
        q.set('npaNxx', area);
        q.set('LCA', 'false');
      } else return undefined;
      q.set('enableTNDetail', 'true');
      q.set('quantity', quantity);
      return q;
    case 'toll_free':
      if (area !== undefined && !area.startsWith('8')) return undefined;
      q.set('tollFreeWildCardPattern', area === undefined || area.length === 1 ? '8**' : `${area.slice(0, 2)}*`);
      q.set('quantity', quantity);
      return q;
    case 'mobile':
    case 'national':
      // Bandwidth has no type parameter beyond the toll-free mode (§3.2).
      return undefined;
    default: {
      const never: never = query.phoneNumberType;
      return never;
    }
  }
}

function badResponse(res: ProviderResponse, message: string): ProviderError {
  return new ProviderError({ provider: 'bandwidth', kind: 'bad_response', httpStatus: res.status, message });
}

function readSearchResult(res: ProviderResponse): ProviderNumber[] {
  const parsed = parseBandwidthXml(res.body);
  if (!parsed.ok) throw badResponse(res, `answered HTTP ${res.status} with ${parsed.reason}`);
  // Bandwidth's SDK checks every body for an error, 200s included (§3.4).
  const error = findBandwidthError(parsed.doc);
  if (error) {
    if (error.code === NO_NUMBERS_IN_AREA) return [];
    throw bandwidthCodeError(res, error);
  }
  if (parsed.doc.root !== 'SearchResult') {
    throw badResponse(res, `answered with a <${parsed.doc.root}> element instead of <SearchResult>`);
  }
  // `<SearchResult/>` parses to an empty string: no numbers (§3.3).
  if (typeof parsed.doc.value !== 'object' || parsed.doc.value === null) return [];
  const result = parsed.doc.value as BandwidthSearchResult;
  const details = listOf(result.TelephoneNumberDetailList, 'TelephoneNumberDetail');
  const plain = listOf(result.TelephoneNumberList, 'TelephoneNumber');
  const count = Number(xmlText(result.ResultCount) ?? '0');
  if (details.length === 0 && plain.length === 0 && count > 0) {
    throw badResponse(res, `answered ResultCount ${count} without a number list`);
  }
  return [
    ...details.flatMap((d) => fromDetail(d)),
    ...plain.flatMap((n) => {
      const phoneNumber = toE164(xmlText(n));
      return phoneNumber ? [{ phoneNumber, features: [] }] : [];
    }),
  ];
}

function listOf(list: unknown, member: string): unknown[] {
  if (typeof list !== 'object' || list === null) return [];
  return xmlList((list as Record<string, unknown>)[member]);
}

/** The spec's FullNumber or the SDK fixtures' TelephoneNumber (§3.3): both are read. */
function fromDetail(d: unknown): ProviderNumber[] {
  if (typeof d !== 'object' || d === null) return [];
  const detail = d as BandwidthTelephoneNumberDetail;
  const phoneNumber = toE164(xmlText(detail.FullNumber) ?? xmlText(detail.TelephoneNumber));
  if (!phoneNumber) return [];
  // No capability data (§3.6 quirk 4): no features are claimed.
  return [{ phoneNumber, locality: xmlText(detail.City), administrativeArea: xmlText(detail.State), rateCenter: xmlText(detail.RateCenter), features: [] }];
}

function toE164(digits: string | undefined): string | undefined {
  if (digits === undefined) return undefined;
  if (TEN_DIGITS.test(digits)) return `+1${digits}`;
  if (/^1[2-9]\d{9}$/.test(digits)) return `+${digits}`;
  return undefined;
}

export const bandwidthProvider: ProviderDefinition<BandwidthConfig> = {
  name: 'bandwidth',
  secretEnv: ['BANDWIDTH_PASSWORD'],
  basicAuthEnv: ['BANDWIDTH_USERNAME', 'BANDWIDTH_PASSWORD'],
  readConfig: readBandwidthConfig,
  create: (config, deps) => new BandwidthProvider(config, deps.http),
  createOrdering: createBandwidthOrdering,
};
