/**
 * Wire shapes of Sinch's Numbers API `GET /v1/projects/{projectId}/availableNumbers` and of its OAuth2
 * token endpoint (vonage-…-sinch.md §5).
 */

/** `capabilities` values (§5.2): uppercase, sent as a repeated key. */
export type SinchCapability = 'SMS' | 'VOICE';

export type SinchNumberType = 'LOCAL' | 'MOBILE' | 'TOLL_FREE';

/** `numberPattern.searchPattern` (§5.2): the SDK enums say CONTAINS, the docs prose CONTAIN. */
export type SinchSearchPattern = 'START' | 'CONTAINS' | 'CONTAIN' | 'END';

export interface SinchMoney {
  currencyCode?: string;
  /** A string such as "0.80" (§5.3). */
  amount?: string;
}

/** One item of `availableNumbers` (§5.3, [S-NODE-AN]). No locality or region-of-number field exists. */
export interface SinchAvailableNumber {
  /** E.164 with '+'. */
  phoneNumber?: string;
  regionCode?: string;
  type?: SinchNumberType | string;
  /** Singular key, array of SMS / VOICE (§5.5 quirk 1). */
  capability?: (SinchCapability | string)[];
  setupPrice?: SinchMoney;
  monthlyPrice?: SinchMoney;
  paymentIntervalMonths?: number;
  supportingDocumentationRequired?: boolean;
}

/** Nulls are omitted, so an empty search may come back as `{}` (§5.3). */
export interface SinchAvailableNumbersResponse {
  availableNumbers?: SinchAvailableNumber[];
}

/** Google-style envelope (§5.4); `code` is an integer in the docs and a string in the SDK models. */
export interface SinchErrorBody {
  error?: {
    code?: number | string;
    message?: string;
    status?: string;
    details?: unknown[];
  };
}

/** POST {SINCH_AUTH_URL}/oauth2/token, form grant_type=client_credentials ([S-NODE-OAUTH]). */
export interface SinchTokenResponse {
  access_token?: string;
  /** Seconds. */
  expires_in?: number;
  scope?: string;
  token_type?: string;
}

/** An OAuth2 error (RFC 6749 §5.2); the auth server's own shape is unverified. */
export interface SinchOAuthErrorBody {
  error?: string;
  error_description?: string;
}
