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
 * implicit conversion, so nothing like "?limit=1.5" can be coerced); toSearchQuery normalises them.
 */
export class SearchNumbersQueryDto {
  @ApiProperty({
    description: 'ISO 3166-1 alpha-2 country code (e.g., US, CA). Case-insensitive on input.',
    pattern: '^[A-Za-z]{2}$',
    example: 'US',
  })
  @Checked(checkCountryCode)
  countryCode!: string;

  @ApiPropertyOptional({
    description: `Comma-separated capabilities that every returned number must have. Allowed values (case-insensitive): ${FEATURES.join(', ')}.`,
    example: 'sms,voice',
  })
  @Checked(checkFeatures)
  features?: string;

  @ApiPropertyOptional({
    description: 'National destination code / area code filter (digits only).',
    pattern: '^[0-9]{1,6}$',
    example: '415',
  })
  @Checked(checkAreaCode)
  areaCode?: string;

  @ApiPropertyOptional({
    description:
      'Number type to search (an extension of the original contract). Allowed values: local, toll_free, mobile, national. Default: local. Every returned number has this type.',
    enum: NUMBER_TYPES,
    default: 'local',
  })
  @Checked(checkPhoneNumberType)
  phoneNumberType?: string;

  @ApiPropertyOptional({
    description: 'Max results (default 10, max 50).',
    type: 'integer',
    minimum: 1,
    maximum: 50,
    default: 10,
  })
  @Checked(checkLimit)
  limit?: string;
}
