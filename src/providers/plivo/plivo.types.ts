/** Wire shapes of GET /v1/Account/{auth_id}/PhoneNumber/ (docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md §2). */

/** `type` filter values (§2.2); they differ from the response's `type` values (§2.5 quirk 2). */
export type PlivoSearchType = 'local' | 'tollfree' | 'mobile' | 'national' | 'fixed';

/** The documented `services` values: lower case (§2.2). */
export type PlivoServices = 'voice' | 'sms' | 'mms' | 'voice,sms' | 'voice,sms,mms';

export interface PlivoSearchParams {
  /** ISO 3166-1 alpha-2, required. */
  country_iso: string;
  type?: PlivoSearchType;
  /** The area code: Plivo prepends the country code itself (§2.2). */
  pattern?: string;
  services?: PlivoServices;
  /** Maximum 20, default 20. */
  limit?: string;
  offset?: string;
}

export interface PlivoPhoneNumber {
  /** Digits WITHOUT '+' (§2.5 quirk 1). */
  number?: string;
  prefix?: string;
  /** Null for national numbers. */
  city?: string | null;
  /** Country NAME, upper case ("UNITED STATES"), not ISO. */
  country?: string;
  /** Documented as "City and country". */
  region?: string | null;
  rate_center?: string | null;
  /** Documented string, sent as an integer too (§2.5 quirk 5). */
  lata?: string | number | null;
  type?: 'fixed' | 'mobile' | 'tollfree' | string;
  sub_type?: 'fixed' | 'mobile' | 'tollfree' | 'national' | 'local' | string;
  setup_rate?: string;
  monthly_rental_rate?: string;
  sms_enabled?: boolean;
  /** Missing from some answers: missing = false. */
  mms_enabled?: boolean;
  voice_enabled?: boolean;
  sms_rate?: string;
  mms_rate?: string;
  voice_rate?: string;
  restriction?: string | null;
  restriction_text?: string | null;
  resource_uri?: string;
}

/** Tastypie-style paging: next/previous are relative URLs, or null, or "" (§2.3). */
export interface PlivoMeta {
  limit?: number;
  next?: string | null;
  offset?: number;
  previous?: string | null;
  total_count?: number;
}

/**
 * 200 body. `error` is "" in a normal answer, and may be non-empty with empty `objects` when nothing
 * matched: that is no numbers, not a failure (§2.3).
 */
export interface PlivoSearchResponse {
  api_id?: string;
  error?: string;
  meta?: PlivoMeta;
  objects?: PlivoPhoneNumber[];
}

/** Error body: `{"api_id","error"}`; a 401 may lack api_id (§2.4). No error codes. */
export interface PlivoErrorBody {
  api_id?: string;
  error?: unknown;
}
