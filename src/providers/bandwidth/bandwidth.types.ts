/**
 * Wire shapes of Bandwidth's GET /accounts/{accountId}/availableNumbers (vonage-…-sinch.md §3), as the
 * XML parser (bandwidth.xml.ts) hands them over: every text node a string, list members always arrays.
 */

/** The query parameters the adapter sends (§3.2). Bandwidth has no country, type or capability parameter. */
export interface BandwidthSearchParams {
  /** NPA: 3 digits, first digit 2–9. */
  areaCode?: string;
  /** NPA-NXX: 6 digits. */
  npaNxx?: string;
  /** Toll-free search mode: 3 characters such as `8**` or `80*`. */
  tollFreeWildCardPattern?: string;
  /** Local Calling Area expansion; defaults to true upstream (§3.6 quirk 3). */
  LCA?: 'true' | 'false';
  /** Adds City, State, RateCenter, LATA… per number (§3.3). */
  enableTNDetail?: 'true' | 'false';
  /** 1–5000, default 5000, no paging (§3.2). */
  quantity: string;
}

/** `<TelephoneNumberDetail>`: the spec puts the digits in FullNumber, the SDK fixtures in TelephoneNumber (§3.3). */
export interface BandwidthTelephoneNumberDetail {
  City?: string;
  LATA?: string;
  RateCenter?: string;
  State?: string;
  FullNumber?: string;
  TelephoneNumber?: string | string[];
  Tier?: string;
  VendorId?: string;
  VendorName?: string;
}

/** `<SearchResult>` (§3.3). Empty results: `<SearchResult/>`, possibly with `<ResultCount>0</ResultCount>`. */
export interface BandwidthSearchResult {
  ResultCount?: string;
  TelephoneNumberList?: { TelephoneNumber?: string[] } | string;
  TelephoneNumberDetailList?: { TelephoneNumberDetail?: BandwidthTelephoneNumberDetail[] } | string;
  Error?: BandwidthErrorElement[];
}

/**
 * The error families Bandwidth's own SDK reads, in its order (§3.4): ErrorCode + Description anywhere,
 * then Error/Code + Description, then a list of Errors, then ResultCode/ResultMessage (0 = success).
 */
export interface BandwidthErrorElement {
  Code?: string;
  Description?: string;
}

/** What the adapter extracts from any of those families. */
export interface BandwidthXmlError {
  code?: string;
  description?: string;
}
