import type { SearchQuery } from './search-query';

/**
 * The canonical form of a query: upper-case country, number type, area code, sorted features, limit (the
 * adapters send type and limit to the carrier, so they shape its answer). Spellings of one search
 * (`features=voice,sms` and `SMS,voice`, `us` and `US`) share one form, which keys both the shared cache
 * and the in-process memos. The braces are a Redis Cluster hash tag: every carrier's entry and fill lock
 * for one query live on one slot.
 */
export function canonicalQuery(query: SearchQuery): string {
  const features = [...new Set(query.features.map((f) => f.toLowerCase()))].sort().join(',');
  return `{${query.countryCode.toUpperCase()}:${query.phoneNumberType}:${query.areaCode ?? ''}:${features}:${query.limit}}`;
}
