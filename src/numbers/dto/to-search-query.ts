import { FEATURES, type Feature, type NumberType, type SearchQuery } from '../../domain/search-query';
import { LIMIT_DEFAULT } from '../validation/parameter-patterns';
import type { SearchNumbersQueryDto } from './search-numbers.query';

/**
 * Normalises a validated query: upper-case country, lower-case sorted unique features, numeric limit,
 * default type. Validation accepted only exact values (no spaces, plain digits), so nothing is trimmed.
 */
export function toSearchQuery(dto: SearchNumbersQueryDto): SearchQuery {
  const features = dto.features
    ? [...new Set(dto.features.split(',').map((s) => s.toLowerCase() as Feature))].sort((a, b) => FEATURES.indexOf(a) - FEATURES.indexOf(b))
    : [];
  return {
    countryCode: dto.countryCode.toUpperCase(),
    areaCode: dto.areaCode || undefined,
    features,
    phoneNumberType: (dto.phoneNumberType as NumberType | undefined) ?? 'local',
    limit: dto.limit === undefined ? LIMIT_DEFAULT : Number(dto.limit),
  };
}
