/**
 * Wire shapes of the 2010-04-01 AvailablePhoneNumbers API (docs/carriers/telnyx-twilio.md §2.3, §2.4),
 * also spoken by SignalWire's compatibility API.
 */
export interface TwilioAvailableNumber {
  friendly_name?: string | null;
  phone_number?: string | null;
  lata?: string | null;
  locality?: string | null;
  rate_center?: string | null;
  latitude?: number | string | null;
  longitude?: number | string | null;
  region?: string | null;
  postal_code?: string | null;
  iso_country?: string | null;
  address_requirements?: string | null;
  beta?: boolean | null;
  /** The live API sends `voice`, `SMS`, `MMS` (mixed case); the spec says lower case (§2.5 quirk 1). */
  capabilities?: Record<string, boolean | null> | null;
}

export interface TwilioSearchResponse {
  uri?: string;
  available_phone_numbers?: TwilioAvailableNumber[];
}

/** Flat error body; Twilio's codes are integers, SignalWire's sometimes strings. */
export interface TwilioErrorBody {
  code?: number | string;
  message?: string;
  more_info?: string;
  status?: number;
}
