import { isSupportedCountry } from 'libphonenumber-js/max';
import { basicAuth } from '../http/basic-auth';
import type { ProviderHttp } from '../http/provider-http-client';
import type { NumberProvider, ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import type { ProviderDefinition } from '../provider-definition';
import { searchTwilioCompatible, TWILIO_TYPE_PATH, type TwilioCompatibleApi } from '../twilio/twilio-compatible';
import { readSignalWireConfig, type SignalWireConfig } from './signalwire.config';
import { createSignalWireOrdering } from './signalwire.ordering';

/**
 * The types SignalWire documents searching (vonage-…-sinch.md §4; its reference pages: "search for local,
 * toll-free, and mobile phone numbers"); there is no National resource. A type or country without stock
 * answers 404/20404, read as no numbers.
 */
const TYPES: ReadonlySet<string> = new Set(['local', 'toll_free', 'mobile']);

/** Most numbers asked for when the engine must filter on capabilities itself. */
const MAX_PAGE = 50;

/**
 * SignalWire's LaML compatibility API speaks Twilio's wire format, so the Twilio code does the work; only
 * the URL, the types and the ignored capability filters differ.
 */
export class SignalWireProvider implements NumberProvider {
  readonly name = 'signalwire';
  private readonly api: TwilioCompatibleApi;

  constructor(
    config: SignalWireConfig,
    private readonly http: ProviderHttp,
  ) {
    const accounts = `${config.spaceUrl}/api/laml/2010-04-01/Accounts/${encodeURIComponent(config.projectId)}`;
    this.api = {
      provider: this.name,
      // The compatibility API's paths have no `.json` suffix (§4.1).
      url: (country, type) => `${accounts}/AvailablePhoneNumbers/${country}/${TWILIO_TYPE_PATH[type]}`,
      authorization: basicAuth(config.projectId, config.apiToken),
      // SmsEnabled & co. are "accepted for compatibility" but ignored (§4.1): the adapter filters on the
      // returned capabilities, so it asks for more numbers when it will have to drop some.
      honoursCapabilityFilters: false,
      pageSize: (query) => (query.features.length > 0 ? Math.min(MAX_PAGE, query.limit * 2) : query.limit),
    };
  }

  supports(query: SearchQuery): boolean {
    // Every feature may be asked for: the adapter keeps only numbers whose returned capabilities include it,
    // so a fax search finds numbers only where SignalWire reports `fax` (its reference pages list "Voice, SMS,
    // MMS, and Fax"; the 2026 spec's capabilities object has no fax key), never unverified ones.
    return isSupportedCountry(query.countryCode) && TYPES.has(query.phoneNumberType);
  }

  search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    return searchTwilioCompatible(this.api, this.http, query, ctx);
  }
}

export const signalwireProvider: ProviderDefinition<SignalWireConfig> = {
  name: 'signalwire',
  secretEnv: ['SIGNALWIRE_API_TOKEN'],
  basicAuthEnv: ['SIGNALWIRE_PROJECT_ID', 'SIGNALWIRE_API_TOKEN'],
  readConfig: readSignalWireConfig,
  create: (config, deps) => new SignalWireProvider(config, deps.http),
  createOrdering: createSignalWireOrdering,
};
