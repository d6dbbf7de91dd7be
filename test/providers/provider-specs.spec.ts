import { EmulatorServer } from '../../emulators/core/server';
import { telnyxEmulator } from '../../emulators/telnyx/telnyx.emulator';
import { twilioEmulator } from '../../emulators/twilio/twilio.emulator';
import type { NumberType, SearchQuery } from '../../src/domain/search-query';
import { telnyxProvider } from '../../src/providers/telnyx/telnyx.provider';
import { twilioProvider } from '../../src/providers/twilio/twilio.provider';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { createProviderFromEnv, ctx, query } from '../support/provider-under-test';

/**
 * The adapters' requests and the emulators' answers, checked against the carriers' official OpenAPI
 * operations, so that the adapter and the emulator cannot drift away from the real API together.
 */
const VANITY_NULL = 'vanity_format is null in real answers';
const RELATIVE_URI = 'uri is a relative path';
const LATITUDE = 'latitude is a string';
const LONGITUDE = 'longitude is a string';

const telnyxSpec = new OpenApiValidator('telnyx-available-phone-numbers.openapi.yaml', [
  // Real captures show `vanity_format: null`; the spec types it as a string (telnyx-twilio.md §1.4, §1.7 quirk 3).
  { name: VANITY_NULL, instancePath: /^\/data\/\d+\/vanity_format$/, keyword: 'type' },
]);
const twilioSpec = new OpenApiValidator('twilio-available-phone-numbers.openapi.yaml', [
  // Twilio's own examples break its schema (provider-specs/PRISM.md §4.2, telnyx-twilio.md §2.5 quirk 6): a
  // relative `uri`, and latitude/longitude as strings.
  { name: RELATIVE_URI, instancePath: /^\/uri$/, keyword: 'format' },
  { name: LATITUDE, instancePath: /^\/available_phone_numbers\/\d+\/latitude$/, keyword: 'type' },
  { name: LONGITUDE, instancePath: /^\/available_phone_numbers\/\d+\/longitude$/, keyword: 'type' },
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

/** The emulators' own credentials: the request log keeps only fingerprints of what was sent. */
const AUTHORIZATION: Record<string, string> = {
  telnyx: `Bearer ${telnyxEmulator.defaultCredentials.apiKey}`,
  twilio: `Basic ${Buffer.from(`${twilioEmulator.defaultCredentials.user}:${twilioEmulator.defaultCredentials.password}`).toString('base64')}`,
};

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

  it('receives from the emulator 200 answers that match the spec, known spec defects tolerated by name only', async () => {
    const provider = createProviderFromEnv(definition, emu.env());
    emu.clearRequests(name);
    for (const q of MATRIX) await provider.search(query(q), ctx());
    const tolerated = new Set<string>();
    let checked = 0;
    for (const req of emu.requests(name).filter((r) => r.status === 200)) {
      const res = await fetch(`${emu.url}/${name}${req.path}?${req.rawQuery}`, { headers: { authorization: AUTHORIZATION[name] } });
      expect(res.status).toBe(200);
      const check = spec.checkResponse(req.path.replace(/\/National\.json$/, '/Local.json'), 200, await res.json());
      expect({ request: `${req.path}?${req.rawQuery}`, errors: check.errors }).toEqual({ request: `${req.path}?${req.rawQuery}`, errors: [] });
      check.tolerated.forEach((t) => tolerated.add(t));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
    // Every tolerated defect is real (the emulator's faithful answers hit it), and nothing else was waived.
    expect([...tolerated].sort()).toEqual(spec === telnyxSpec ? [VANITY_NULL] : [LATITUDE, LONGITUDE, RELATIVE_URI].sort());
  });
});

describe('telnyx error bodies against the spec', () => {
  it.each([400, 401, 404, 422, 500])('the emulator\'s %i body matches the declared response', (status) => {
    const res = telnyxEmulator.errorResponse(status);
    expect(res.status).toBe(status);
    expect(telnyxSpec.checkResponse('/v2/available_phone_numbers', status, JSON.parse(res.body))).toEqual({ errors: [], tolerated: [] });
  });

  it('the 429, 403 and 503 bodies (statuses the operation does not declare) match numbers_Errors', () => {
    for (const res of [telnyxEmulator.rateLimitResponse(3), telnyxEmulator.errorResponse(403), telnyxEmulator.errorResponse(503)]) {
      expect(telnyxSpec.checkComponent('numbers_Errors', JSON.parse(res.body))).toEqual({ errors: [], tolerated: [] });
    }
  });

  it('the emulator\'s own 401 and 422 answers match the declared responses', async () => {
    const url = `${emu.url}/telnyx/v2/available_phone_numbers`;
    const unauthorised = await fetch(`${url}?filter[country_code]=US`);
    expect(telnyxSpec.validateResponse('/v2/available_phone_numbers', 401, await unauthorised.json())).toEqual([]);
    const key = telnyxEmulator.defaultCredentials.apiKey;
    const invalid = await fetch(`${url}?filter[phone_number_type]=landline`, { headers: { authorization: `Bearer ${key}` } });
    expect(invalid.status).toBe(422);
    expect(telnyxSpec.validateResponse('/v2/available_phone_numbers', 422, await invalid.json())).toEqual([]);
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
    // Stricter than the spec: a filter Telnyx would silently ignore, and a filter without brackets.
    expect(telnyxSpec.validateRequest({ path: '/v2/available_phone_numbers', rawQuery: 'filter%5Barea_code%5D=415', headers })).toEqual([
      expect.stringMatching(/area_code is not a property of filter/),
    ]);
    expect(telnyxSpec.validateRequest({ path: '/v2/available_phone_numbers', rawQuery: 'filter=US', headers })).toEqual([expect.stringMatching(/deepObject form/)]);
    // Every array form is read: a bad value is caught in each.
    for (const f of ['filter[features]=sms,telepathy', 'filter[features][]=sms&filter[features][]=telepathy', 'filter[features]=telepathy&filter[features]=sms']) {
      expect(telnyxSpec.validateRequest({ path: '/v2/available_phone_numbers', rawQuery: f, headers })).toEqual([expect.stringMatching(/features\/1|features\/0/)]);
    }
    expect(telnyxSpec.validateRequest({ path: '/v2/available_phone_numbers', rawQuery: 'filter[best_effort]=1', headers })).toEqual([expect.stringMatching(/best_effort must be boolean/)]);
    expect(telnyxSpec.validateRequest({ path: '/v2/v3/available_phone_numbers', rawQuery: '', headers })).toEqual([expect.stringMatching(/no operation/)]);
    const basic = { authorization: `Basic ${Buffer.from('AC0:t').toString('base64')}` };
    const path = `/2010-04-01/Accounts/AC${'0'.repeat(32)}/AvailablePhoneNumbers/US/Local.json`;
    expect(twilioSpec.validateRequest({ path, rawQuery: 'PageSize=0', headers: basic })).toEqual([expect.stringMatching(/PageSize must be >= 1/)]);
    expect(twilioSpec.validateRequest({ path, rawQuery: 'SmsEnabled=yes&AreaCode=abc', headers: basic })).toHaveLength(2);
    expect(twilioSpec.validateRequest({ path: path.replace(`AC${'0'.repeat(32)}`, 'XX123'), rawQuery: '', headers: basic }).length).toBeGreaterThan(0);
    expect(twilioSpec.validateRequest({ path, rawQuery: '', headers: { authorization: 'Bearer x' } })).toEqual([expect.stringMatching(/authorization/)]);
    // Case-sensitive names (Prism is not): Twilio would ignore `areacode`.
    expect(twilioSpec.validateRequest({ path, rawQuery: 'areacode=415', headers: basic })).toEqual([expect.stringMatching(/areacode is not a parameter/)]);
    expect(twilioSpec.validateRequest({ path, rawQuery: 'PageSize=5&PageSize=6', headers: basic })).toEqual([expect.stringMatching(/PageSize is repeated/)]);
    expect(twilioSpec.validateRequest({ path, rawQuery: 'AreaCode=415&SmsEnabled=true&PageSize=30', headers: basic })).toEqual([]);
  });

  it('rejects answers that break the schema, and waives only the named defects', () => {
    expect(telnyxSpec.validateResponse('/v2/available_phone_numbers', 200, { data: [{ phone_number: 5 }] })).toEqual(['/data/0/phone_number must be string']);
    expect(telnyxSpec.validateResponse('/v2/available_phone_numbers', 200, { data: [{ features: ['sms'] }] })).toEqual(['/data/0/features/0 must be object']);
    expect(telnyxSpec.validateResponse('/v2/available_phone_numbers', 401, { errors: [{ code: 10009 }] })).toEqual(['/errors/0/code must be string']);
    const twilioPath = `/2010-04-01/Accounts/AC${'0'.repeat(32)}/AvailablePhoneNumbers/US/Local.json`;
    // A string latitude is waived by name; a string beta is not.
    expect(twilioSpec.checkResponse(twilioPath, 200, { uri: '/x', available_phone_numbers: [{ latitude: '1.5', beta: 'false' }] })).toEqual({
      errors: ['/available_phone_numbers/0/beta must be boolean'],
      tolerated: [LATITUDE, RELATIVE_URI],
    });
    expect(twilioSpec.validateResponse(`/2010-04-01/Accounts/AC${'0'.repeat(32)}/AvailablePhoneNumbers/US/Local.json`, 200, { available_phone_numbers: 'none' }).length).toBeGreaterThan(0);
  });
});
