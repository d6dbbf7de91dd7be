/** The closed vocabularies of the public contract (contract/numbers-api.openapi.yaml). */
export const FEATURES = ['sms', 'mms', 'voice', 'fax'] as const;
export type Feature = (typeof FEATURES)[number];

export const NUMBER_TYPES = ['local', 'toll_free', 'mobile', 'national'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

/** A validated, normalised search: what every layer below the controller works with. */
export interface SearchQuery {
  /** ISO 3166-1 alpha-2, upper case. */
  readonly countryCode: string;
  /** Digits only, when given. */
  readonly areaCode?: string;
  /** Sorted, de-duplicated. */
  readonly features: readonly Feature[];
  readonly phoneNumberType: NumberType;
  /** 1–50. */
  readonly limit: number;
}

/** One number as the contract returns it. */
export interface AvailableNumber {
  phoneNumber: string;
  locality?: string;
  administrativeArea?: string;
  phoneNumberType: NumberType;
  features: Feature[];
}
