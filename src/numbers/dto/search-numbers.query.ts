import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { registerDecorator } from 'class-validator';
import { FEATURES, NUMBER_TYPES } from '../../domain/search-query';
import {
  checkAreaCode,
  checkCountryCode,
  checkFeatures,
  checkLimit,
  checkPhoneNumberType,
  type ParameterProblem,
} from '../validation/parameter-checks';
import { COUNTRIES_WITHOUT_NUMBERING_PLAN } from '../validation/country-codes';
import { LIMIT_DEFAULT, LIMIT_MAX, LIMIT_MIN, PARAMETER_PATTERNS } from '../validation/parameter-patterns';

/**
 * Runs one of the parameter checks as a class-validator constraint. The check also runs for absent
 * values (required parameters), so no @IsOptional is used; the exception factory asks the same check
 * for the fix.
 */
function Checked(check: (value: unknown) => ParameterProblem | undefined) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'parameterCheck',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => check(value) === undefined,
        defaultMessage: (args) => check(args?.value)?.message ?? `${propertyName} is invalid.`,
      },
    });
}

/**
 * The query of GET /numbers/available, exactly as the contract defines it. Values stay strings here (no
 * implicit conversion, so nothing like "?limit=1.5" can be coerced); toSearchQuery normalises them. The
 * served schemas come from PARAMETER_PATTERNS, the same expressions the checks accept values by.
 */
export class SearchNumbersQueryDto {
  @ApiProperty({
    description: `ISO 3166-1 alpha-2 country code (e.g., US, CA), in any letter case, without spaces. Every assigned code is accepted, and XK (Kosovo), except those of territories without a telephone numbering plan (${COUNTRIES_WITHOUT_NUMBERING_PLAN.join(', ')}), which are refused with a 400 saying so. The pattern lists exactly the accepted codes.`,
    pattern: PARAMETER_PATTERNS.countryCode,
    example: 'US',
  })
  @Checked(checkCountryCode)
  countryCode!: string;

  @ApiPropertyOptional({
    description: `Comma-separated capabilities that every returned number must have. Allowed values (case-insensitive): ${FEATURES.join(', ')}. No spaces and no empty items; a value listed twice counts once.`,
    pattern: PARAMETER_PATTERNS.features,
    example: 'sms,voice',
  })
  @Checked(checkFeatures)
  features?: string;

  @ApiPropertyOptional({
    description: 'National destination code / area code filter (digits only).',
    pattern: PARAMETER_PATTERNS.areaCode,
    example: '415',
  })
  @Checked(checkAreaCode)
  areaCode?: string;

  @ApiPropertyOptional({
    description:
      'Number type to search (an extension of the original contract). Allowed values, exactly as written (lower case): local, toll_free, mobile, national. Default: local. Every returned number has this type.',
    enum: NUMBER_TYPES,
    default: 'local',
  })
  @Checked(checkPhoneNumberType)
  phoneNumberType?: string;

  @ApiPropertyOptional({
    description: `Max results (default ${LIMIT_DEFAULT}, max ${LIMIT_MAX}), in plain decimal digits (e.g. limit=5): a sign, spaces, leading zeros, a fraction or an exponent are refused.`,
    type: 'integer',
    minimum: LIMIT_MIN,
    maximum: LIMIT_MAX,
    default: LIMIT_DEFAULT,
  })
  @Checked(checkLimit)
  limit?: string;
}
