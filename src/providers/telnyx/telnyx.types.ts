/** Wire shapes of GET /v2/available_phone_numbers (docs/carriers/telnyx-twilio.md §1.4, §1.5). */
export interface TelnyxRegion {
  region_type?: 'country_code' | 'rate_center' | 'state' | 'location' | string;
  region_name?: string;
}

export interface TelnyxAvailableNumber {
  record_type?: string;
  phone_number?: string;
  vanity_format?: string | null;
  /** true = NOT an exact match of the search (e.g. a nearby area code). */
  best_effort?: boolean;
  quickship?: boolean;
  reservable?: boolean;
  region_information?: TelnyxRegion[];
  cost_information?: { upfront_cost?: string; monthly_cost?: string; currency?: string };
  features?: { name?: string }[];
}

export interface TelnyxMetadata {
  total_results?: number;
  best_effort_results?: number;
}

export interface TelnyxSearchResponse {
  data?: TelnyxAvailableNumber[];
  meta?: TelnyxMetadata;
  metadata?: TelnyxMetadata;
}

export interface TelnyxError {
  code?: string;
  title?: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
  meta?: { url?: string };
}

export interface TelnyxErrorBody {
  errors?: TelnyxError[];
}
