/** Wire shapes of GET /number/search (docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md §1). */

/** `type` values, request and response alike (§1.2, §1.5 quirk 3). */
export type VonageNumberType = 'landline' | 'mobile-lvn' | 'landline-toll-free';

/** The seven `features` values the spec enumerates: upper case, fixed order (§1.2). */
export type VonageFeatures = 'SMS' | 'VOICE' | 'MMS' | 'SMS,VOICE' | 'SMS,MMS' | 'VOICE,MMS' | 'SMS,MMS,VOICE';

/** Query parameters the adapter sends (all strings on the wire). */
export interface VonageSearchParams {
  country: string;
  type?: VonageNumberType;
  /** Digits including the country calling code when search_pattern=0 (§1.2). */
  pattern?: string;
  /** 0 starts with, 1 contains, 2 ends with. */
  search_pattern?: '0' | '1' | '2';
  features?: VonageFeatures;
  /** Default 10, maximum 100. */
  size?: string;
  /** 1-based page index, default 1. */
  index?: string;
}

export interface VonageLimitation {
  feature?: 'MMS' | 'SMS' | 'VOICE' | string;
  type?: 'INBOUND' | 'OUTBOUND' | string;
  reach?: 'DOMESTIC' | 'INTERNATIONAL' | string;
}

export interface VonageAvailableNumber {
  country?: string;
  /** E.164 digits WITHOUT '+' (§1.5 quirk 1). */
  msisdn?: string;
  type?: VonageNumberType | string;
  /** Monthly rental, EUR, decimal string. */
  cost?: string;
  initialPrice?: string;
  /** Upper case: SMS, VOICE, MMS. */
  features?: string[];
  limitations?: VonageLimitation[];
}

/**
 * 200 body. `count` is the pool total, not the page length (§1.5 quirk 4). An empty answer may be `{}`,
 * `{"count":0}`, `{"count":0,"numbers":[]}` or an empty body (§1.3).
 */
export interface VonageSearchResponse {
  count?: number;
  numbers?: VonageAvailableNumber[];
}

/** Error body: `error-code` is a string (§1.4). */
export interface VonageErrorBody {
  'error-code'?: string | number;
  'error-code-label'?: string;
}
