import { FEATURES, type Feature, type NumberType, type SearchQuery } from '../../domain/search-query';
import type { SearchNumbersQueryDto } from './search-numbers.query';

/** Normalises a validated query: upper-case country, sorted unique features, numeric limit, default type. */
export function toSearchQuery(dto: SearchNumbersQueryDto): SearchQuery {
  const features = dto.features
    ? [...new Set(dto.features.split(',').map((s) => s.trim().toLowerCase() as Feature))].sort(
        (a, b) => FEATURES.indexOf(a) - FEATURES.indexOf(b),
      )
    : [];
  return {
    countryCode: dto.countryCode.trim().toUpperCase(),
    areaCode: dto.areaCode || undefined,
    features,
    phoneNumberType: (dto.phoneNumberType?.trim().toLowerCase() as NumberType | undefined) ?? 'local',
    limit: dto.limit === undefined ? 10 : Number(dto.limit.trim()),
  };
}
