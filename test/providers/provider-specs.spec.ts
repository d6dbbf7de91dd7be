import { EmulatorServer } from '../../emulators/core/server';
import { telnyxEmulator } from '../../emulators/telnyx/telnyx.emulator';
import { twilioEmulator } from '../../emulators/twilio/twilio.emulator';
import type { NumberType, SearchQuery } from '../../src/numbers/search-query';
import { telnyxProvider } from '../../src/providers/telnyx/telnyx.provider';
import { twilioProvider } from '../../src/providers/twilio/twilio.provider';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { createProviderFromEnv, ctx, query } from '../support/provider-under-test';

/**
 * The adapters' requests and the emulators' answers, checked against the carriers' official OpenAPI
 * operations, so that the adapter and the emulator cannot drift away from the real API together.
 */
const telnyxSpec = new OpenApiValidator('telnyx-available-phone-numbers.openapi.yaml', [
  // Real captures show `vanity_format: null`; the spec types it as a string (telnyx-twilio.md §1.4).
  { name: 'vanity_format is null in real answers', instancePath: /^\/data\/\d+\/vanity_format$/, keyword: 'type' },
]);
const twilioSpec = new OpenApiValidator('twilio-available-phone-numbers.openapi.yaml', [
  // Twilio's own examples break its schema (provider-specs/PRISM.md §4.2): a relative `uri`, and
  // latitude/longitude as strings.
  { name: 'uri is a relative path', instancePath: /^\/uri$/, keyword: 'format' },
  { name: 'latitude is a string', instancePath: /^\/available_phone_numbers\/\d+\/latitude$/, keyword: 'type' },
  { name: 'longitude is a string', instancePath: /^\/available_phone_numbers\/\d+\/longitude$/, keyword: 'type' },
]);

const MATRIX: Partial<SearchQuery>[] = [
  {},
  { countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 20 },
  { countryCode: 'US', features: ['mms'], phoneNumberType: 'toll_free', limit: 50 },
  { countryCode: 'CA', areaCode: '416', features: ['sms', 'mms', 'voice', 'fax'], limit: 1 },
  { countryCode: 'GB', phoneNumberType: 'mobile', limit: 5 },
  { countryCode: 'DE', areaCode: '30', phoneNumberType: 'local' },
  { countryCode: 'AU', phoneNumberType: 'national' as NumberType },
];

let emu: EmulatorServer;
beforeAll(async () => {
  emu = new EmulatorServer([telnyxEmulator, twilioEmulator]);
  await emu.listen();
});
afterAll(() => emu.close());

describe.each([
  ['telnyx', telnyxProvider, telnyxSpec],
  ['twilio', twilioProvider, twilioSpec],
] as const)('%s against its official OpenAPI operation', (name, definition, spec) => {
  it('sends only requests the spec accepts, for every kind of query', async () => {
    const provider = createProviderFromEnv(definition, emu.env());
    emu.clearRequests(name);
    for (const q of MATRIX) await provider.search(query(q), ctx());
    const requests = emu.requests(name);
    expect(requests).toHaveLength(MATRIX.length);
    for (const req of requests) {
      // The extraction holds Local, TollFree and Mobile; Twilio's National takes the same parameters
      // (telnyx-twilio.md §2.2: "the same set applies to all seven type sub-resources").
      const errors = spec.validateRequest({ ...req, path: req.path.replace(/\/National\.json$/, '/Local.json') });
      expect({ request: `${req.path}?${req.rawQuery}`, errors }).toEqual({ request: `${req.path}?${req.rawQuery}`, errors: [] });
    }
  });

  it('receives from the emulator answers that match the spec', async () => {
    const provider = createProviderFromEnv(definition, emu.env());
    emu.clearRequests(name);
    await provider.search(query({ countryCode: 'US', areaCode: '415', limit: 10 }), ctx());
    const [req] = emu.requests(name);
    const auth = { authorization: String(req.headers.authorization) };
    const res = await fetch(`${emu.url}/${name}${req.path}?${req.rawQuery}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(spec.validateResponse(req.path, 200, await res.json())).toEqual([]);
  });
});

describe('the validator itself', () => {
  it('rejects requests the real APIs would reject', () => {
    const headers = { authorization: 'Bearer KEY123' };
    expect(telnyxSpec.validateRequest({ path: '/v2/available_phone_numbers', rawQuery: 'filter%5Bphone_number_type%5D=toll-free', headers })).toEqual([
      expect.stringMatching(/phone_number_type must be equal to one of the allowed values/),
    ]);
    expect(telnyxSpec.validateRequest({ path: '/v2/available_phone_numbers', rawQuery: 'filter[features]=sms,telepathy&filter[limit]=abc', headers })).toHaveLength(2);
    expect(telnyxSpec.validateRequest({ path: '/v2/available_phone_numbers', rawQuery: 'country_code=US', headers })).toEqual([
      expect.stringMatching(/country_code is not a parameter/),
    ]);
    expect(telnyxSpec.validateRequest({ path: '/v2/available_phone_numbers', rawQuery: '', headers: {} })).toEqual([expect.stringMatching(/authorization/)]);
    const basic = { authorization: `Basic ${Buffer.from('AC0:t').toString('base64')}` };
    const path = `/2010-04-01/Accounts/AC${'0'.repeat(32)}/AvailablePhoneNumbers/US/Local.json`;
    expect(twilioSpec.validateRequest({ path, rawQuery: 'PageSize=0', headers: basic })).toEqual([expect.stringMatching(/PageSize must be >= 1/)]);
    expect(twilioSpec.validateRequest({ path, rawQuery: 'SmsEnabled=yes&AreaCode=abc', headers: basic })).toHaveLength(2);
    expect(twilioSpec.validateRequest({ path: path.replace(`AC${'0'.repeat(32)}`, 'XX123'), rawQuery: '', headers: basic }).length).toBeGreaterThan(0);
    expect(twilioSpec.validateRequest({ path, rawQuery: '', headers: { authorization: 'Bearer x' } })).toEqual([expect.stringMatching(/authorization/)]);
  });

  it('rejects answers that break the schema', () => {
    expect(telnyxSpec.validateResponse('/v2/available_phone_numbers', 200, { data: [{ phone_number: 5, features: 'sms' }] }).length).toBeGreaterThan(0);
    expect(twilioSpec.validateResponse(`/2010-04-01/Accounts/AC${'0'.repeat(32)}/AvailablePhoneNumbers/US/Local.json`, 200, { available_phone_numbers: 'none' }).length).toBeGreaterThan(0);
  });
});
