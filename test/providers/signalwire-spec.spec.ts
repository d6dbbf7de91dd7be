import { EmulatorServer } from '../../emulators/core/server';
import { signalwireEmulator } from '../../emulators/signalwire/signalwire.emulator';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { SearchQuery } from '../../src/domain/search-query';
import { signalwireProvider } from '../../src/providers/signalwire/signalwire.provider';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { createProviderFromEnv } from '../support/provider-under-test';
import { replay, requestErrors, runQueries } from '../support/spec-checks';

/**
 * The SignalWire adapter's requests and the emulator's answers against SignalWire's official Compatibility API
 * spec (signalwire/docs fern/apis/compatibility/openapi.yaml, extracted into
 * test/fixtures/carrier-specs/signalwire-available-phone-numbers.openapi.yaml). Where SignalWire's own reference
 * pages document more than the spec's schemas, the difference is tolerated by name, and each tolerance is proven
 * real: the Mobile resource (no operation in the spec: it takes Local's parameters), `PageSize` (the
 * Twilio-compatible page size, not a parameter of the operations), the `fax` capability ("Voice, SMS, MMS, and
 * Fax"; the schema's capabilities allow no fourth key) and string error codes (captured payloads; the schema says
 * integer).
 */
const PAGE_SIZE = 'PageSize: the Twilio-compatible page size';
const FAX = 'capabilities.fax: listed by the reference pages';
const STRING_CODE = 'code as a string, as captured payloads have it';

const spec = new OpenApiValidator('signalwire-available-phone-numbers.openapi.yaml', {
  extraParameters: [{ name: PAGE_SIZE, parameter: 'PageSize' }],
  defects: [
    // The schema allows no property beyond voice, SMS and MMS (`unevaluatedProperties: {not: {}}`).
    { name: FAX, instancePath: /^\/available_phone_numbers\/\d+\/capabilities\/fax$/, keyword: 'not' },
    { name: STRING_CODE, instancePath: /^\/code$/, keyword: 'type' },
  ],
});

/** The Mobile resource has no operation in the spec: its requests are checked against Local's. */
const asSpecPath = (path: string) => path.replace(/\/Mobile$/, '/Local');

const QUERIES: Partial<SearchQuery>[] = [
  {},
  { countryCode: 'US', areaCode: '206', features: ['sms'], limit: 10 },
  { countryCode: 'US', areaCode: '415', features: ['sms', 'mms', 'voice', 'fax'], limit: 50 },
  { countryCode: 'CA', phoneNumberType: 'toll_free', limit: 5 },
  { countryCode: 'GB', phoneNumberType: 'mobile', limit: 20 },
  { countryCode: 'DE', areaCode: '30' },
  { countryCode: 'US', phoneNumberType: 'mobile' },
  // Not supported (no National resource): never sent.
  { countryCode: 'GB', phoneNumberType: 'national' },
];

let emu: EmulatorServer;
let signalwire: NumberProvider;
beforeAll(async () => {
  emu = new EmulatorServer([signalwireEmulator]);
  await emu.listen();
  signalwire = createProviderFromEnv(signalwireProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe('signalwire against its official spec', () => {
  it('sends only requests the Local and TollFree operations accept (Mobile as Local), PageSize tolerated by name', async () => {
    const { requests, supported } = await runQueries(emu, 'signalwire', signalwire, QUERIES);
    expect(supported).toBe(7);
    expect(requests).toHaveLength(7);
    expect(requests.filter((r) => r.path.endsWith('/Mobile'))).toHaveLength(2);
    expect(requestErrors(spec, requests, asSpecPath)).toEqual({ errors: [], tolerated: [PAGE_SIZE] });
  });

  it('receives answers that match AvailablePhoneNumberListResponse, the fax capability tolerated by name and only when sent', async () => {
    const { requests } = await runQueries(emu, 'signalwire', signalwire, QUERIES);
    for (const [faxCapability, expected] of [
      [undefined, [FAX]],
      [false, []],
    ] as const) {
      emu.setBehaviour('signalwire', { options: { faxCapability } });
      const tolerated = new Set<string>();
      let numbers = 0;
      for (const req of requests.filter((r) => r.status === 200)) {
        const body = (await (await replay(emu, 'signalwire', req)).json()) as { available_phone_numbers: unknown[] };
        numbers += body.available_phone_numbers.length;
        const check = spec.checkResponse(asSpecPath(req.path), 200, body);
        expect({ request: `${req.path}?${req.rawQuery}`, errors: check.errors }).toEqual({ request: `${req.path}?${req.rawQuery}`, errors: [] });
        check.tolerated.forEach((t) => tolerated.add(t));
      }
      expect(numbers).toBeGreaterThan(50);
      expect([...tolerated]).toEqual(expected);
    }
  });

  it('answers 400, 401 and 422 in CompatibilityErrorResponse, with integer codes exactly and string codes by name', async () => {
    const { user } = signalwireEmulator.defaultCredentials;
    const path = `/api/laml/2010-04-01/Accounts/${user}/AvailablePhoneNumbers/US/Local`;
    for (const [integerCodes, tolerated] of [
      [true, []],
      [false, [STRING_CODE]],
    ] as const) {
      emu.setBehaviour('signalwire', { options: { integerCodes } });
      const unauthorised = await fetch(`${emu.url}/signalwire${path}`);
      expect(unauthorised.status).toBe(401);
      expect(spec.checkResponse(path, 401, await unauthorised.json())).toEqual({ errors: [], tolerated });
    }
    for (const status of [400, 401, 422]) {
      const res = signalwireEmulator.errorResponse(status);
      expect(spec.checkResponse(path, status, JSON.parse(res.body))).toEqual({ errors: [], tolerated: [STRING_CODE] });
    }
  });

  it('the checks reject what the spec rejects', () => {
    const { user } = signalwireEmulator.defaultCredentials;
    const basic = { authorization: 'Basic YTpi' };
    const path = `/api/laml/2010-04-01/Accounts/${user}/AvailablePhoneNumbers/US/Local`;
    expect(spec.validateRequest({ path, rawQuery: 'SmsEnabled=yes&Beta=2', headers: basic })).toHaveLength(2);
    expect(spec.validateRequest({ path, rawQuery: 'areacode=415', headers: basic })).toEqual([expect.stringMatching(/areacode is not a parameter/)]);
    expect(spec.validateRequest({ path: path.replace(user, 'AC123'), rawQuery: '', headers: basic })).toEqual([expect.stringMatching(/AccountSid must match format "uuid"/)]);
    expect(spec.validateRequest({ path, rawQuery: '', headers: { authorization: 'Bearer x' } })).toEqual([expect.stringMatching(/authorization/)]);
    expect(spec.validateRequest({ path: path.replace('/Local', '/National'), rawQuery: '', headers: basic })).toEqual([expect.stringMatching(/no operation/)]);
    const item = { friendly_name: 'x', phone_number: '+12065550100', lata: null, locality: null, rate_center: null, latitude: null, longitude: null, region: null, postal_code: null, iso_country: 'US', beta: false };
    expect(spec.checkResponse(path, 200, { uri: path, available_phone_numbers: [{ ...item, capabilities: { voice: true, SMS: 'yes', MMS: true } }] }).errors).toEqual([
      '/available_phone_numbers/0/capabilities/SMS must be boolean',
    ]);
    expect(spec.checkResponse(path, 200, { uri: path, available_phone_numbers: [{ ...item, capabilities: { voice: true, SMS: true, MMS: true, fax: true } }] })).toEqual({ errors: [], tolerated: [FAX] });
    // Only the named key is waived: any other one is still an error, and so is a Twilio field SignalWire lacks.
    expect(spec.checkResponse(path, 200, { uri: path, available_phone_numbers: [{ ...item, capabilities: { voice: true, SMS: true, MMS: true, sms: true } }] }).errors).toEqual([
      '/available_phone_numbers/0/capabilities/sms must NOT be valid',
    ]);
    expect(spec.checkResponse(path, 200, { uri: path, available_phone_numbers: [{ ...item, capabilities: { voice: true, SMS: true, MMS: true }, address_requirements: 'none' }] }).errors).toEqual([
      '/available_phone_numbers/0/address_requirements must NOT be valid',
    ]);
  });
});
