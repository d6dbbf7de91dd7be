import { basicAuth } from '../http/basic-auth';
import type { ProviderHttp } from '../http/provider-http-client';
import type { NumberProvider, ProviderNumber, SearchContext } from '../../domain/number-provider';
import type { SearchQuery } from '../../domain/search-query';
import type { ProviderDefinition } from '../provider-definition';
import { searchTwilioCompatible, TWILIO_PAGE_CAP, TWILIO_TYPE_PATH, type TwilioCompatibleApi } from './twilio-compatible';
import { readTwilioConfig, type TwilioConfig } from './twilio.config';
import { createTwilioOrdering } from './twilio.ordering';

export class TwilioProvider implements NumberProvider {
  readonly name = 'twilio';
  private readonly api: TwilioCompatibleApi;

  constructor(
    config: TwilioConfig,
    private readonly http: ProviderHttp,
  ) {
    const accounts = `${config.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}`;
    this.api = {
      provider: this.name,
      // `.json` selects JSON; the 2010 API answers XML by default (§2.1).
      url: (country, type) => `${accounts}/AvailablePhoneNumbers/${country}/${TWILIO_TYPE_PATH[type]}.json`,
      authorization: basicAuth(config.accountSid, config.authToken),
      honoursCapabilityFilters: true,
      pageSize: (query) => Math.min(query.limit, TWILIO_PAGE_CAP),
    };
  }

  supports(_query: SearchQuery): boolean {
    // A type a country does not offer answers 404/20404, read as "no numbers".
    return true;
  }

  search(query: SearchQuery, ctx: SearchContext): Promise<ProviderNumber[]> {
    return searchTwilioCompatible(this.api, this.http, query, ctx);
  }
}

export const twilioProvider: ProviderDefinition<TwilioConfig> = {
  name: 'twilio',
  secretEnv: ['TWILIO_AUTH_TOKEN'],
  basicAuthEnv: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  readConfig: readTwilioConfig,
  create: (config, deps) => new TwilioProvider(config, deps.http),
  createOrdering: createTwilioOrdering,
};
