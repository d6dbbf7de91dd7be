import { EmulatorServer } from '../../emulators/core/server';
import { vonageEmulator } from '../../emulators/vonage/vonage.emulator';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { SearchQuery } from '../../src/domain/search-query';
import { vonageProvider } from '../../src/providers/vonage/vonage.provider';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { createProviderFromEnv } from '../support/provider-under-test';
import { replay, requestErrors, runQueries } from '../support/spec-checks';

/**
 * The Vonage adapter's requests and the emulator's answers against Vonage's official spec (Nexmo/api-specification
 * definitions/numbers.yml, test/fixtures/carrier-specs/vonage-numbers.openapi.yaml). That 2020 version declares only
 * `api_key`/`api_secret` query credentials; the current portal spec (v1.1.0) and the official SDK use HTTP Basic,
 * which the adapter sends (a secret in a URL ends up in logs): the requests are checked against the spec with its
 * security requirement replaced by Basic, and the difference itself is asserted below.
 */
const FILE = 'vonage-numbers.openapi.yaml';
const spec = new OpenApiValidator(FILE, { security: { name: 'basicAuth', scheme: { type: 'http', scheme: 'basic' } } });
const spec2020 = new OpenApiValidator(FILE);

const QUERIES: Partial<SearchQuery>[] = [
  {},
  { countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 20 },
  { countryCode: 'US', features: ['mms'], phoneNumberType: 'toll_free', limit: 50 },
  { countryCode: 'CA', areaCode: '416', features: ['sms', 'mms', 'voice'], limit: 1 },
  { countryCode: 'GB', phoneNumberType: 'mobile', features: ['mms', 'voice'], limit: 5 },
  { countryCode: 'GB', areaCode: '20', features: ['mms', 'sms'] },
  { countryCode: 'DE', areaCode: '30', phoneNumberType: 'local' },
  { countryCode: 'AU', phoneNumberType: 'toll_free', limit: 3 },
  // Not supported (fax, national, NANP mobile): never sent.
  { countryCode: 'US', features: ['fax'] },
  { countryCode: 'GB', phoneNumberType: 'national' },
];

let emu: EmulatorServer;
let vonage: NumberProvider;
beforeAll(async () => {
  emu = new EmulatorServer([vonageEmulator]);
  await emu.listen();
  vonage = createProviderFromEnv(vonageProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe('vonage against its official spec', () => {
  it('sends only requests the search operation accepts, for every kind of query it supports', async () => {
    for (const nanpLocalType of ['mobile-lvn', 'landline']) {
      emu.setBehaviour('vonage', { options: { nanpLocalType } });
      const { requests, supported } = await runQueries(emu, 'vonage', vonage, QUERIES);
      expect(supported).toBe(8);
      expect(requests).toHaveLength(supported);
      expect(requestErrors(spec, requests)).toEqual({ errors: [], tolerated: [] });
    }
  });

  it('sends Basic credentials, which the 2020 spec does not declare (it wants api_key and api_secret in the query)', async () => {
    const { requests } = await runQueries(emu, 'vonage', vonage, [{ countryCode: 'GB' }]);
    expect(spec2020.validateRequest(requests[0])).toEqual(['authorization does not satisfy apiKey api_key in query + apiKey api_secret in query']);
    // The query form would satisfy it, and the emulator accepts it too (§1.1): it is refused here on purpose.
    const { apiKey, apiSecret } = vonageEmulator.defaultCredentials;
    const queryForm = { ...requests[0], rawQuery: `${requests[0].rawQuery}&api_key=${apiKey}&api_secret=${apiSecret}`, headers: {} };
    expect(spec2020.validateRequest(queryForm)).toEqual([]);
    expect((await fetch(`${emu.url}/vonage${queryForm.path}?${queryForm.rawQuery}`)).status).toBe(200);
  });

  it('receives 200 answers that match available-numbers, empty answers included', async () => {
    const { requests } = await runQueries(emu, 'vonage', vonage, QUERIES);
    for (const emptyShape of ['full', 'count', 'object']) {
      emu.setBehaviour('vonage', { options: { emptyShape } });
      const nothing = await replay(emu, 'vonage', { ...requests[0], path: '/number/search', rawQuery: 'country=FR' });
      expect(nothing.status).toBe(200);
      expect(spec.checkResponse('/number/search', 200, await nothing.json())).toEqual({ errors: [], tolerated: [] });
    }
    let numbers = 0;
    for (const req of requests) {
      const res = await replay(emu, 'vonage', req);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { numbers?: unknown[] };
      numbers += body.numbers?.length ?? 0;
      expect({ request: req.rawQuery, ...spec.checkResponse('/number/search', 200, body) }).toEqual({ request: req.rawQuery, errors: [], tolerated: [] });
    }
    expect(numbers).toBeGreaterThan(20);
  });

  it('answers 401 in the declared account-unauthorized shape', async () => {
    const res = await fetch(`${emu.url}/vonage/number/search?country=GB`);
    expect(res.status).toBe(401);
    expect(spec.checkResponse('/number/search', 401, await res.json())).toEqual({ errors: [], tolerated: [] });
    expect(spec.checkResponse('/number/search', 401, JSON.parse(vonageEmulator.errorResponse(401).body))).toEqual({ errors: [], tolerated: [] });
  });

  it('the validator rejects what the spec rejects', () => {
    const headers = { authorization: 'Basic YTpi' };
    expect(spec.validateRequest({ path: '/number/search', rawQuery: '', headers })).toEqual(['query country is required']);
    expect(spec.validateRequest({ path: '/number/search', rawQuery: 'country=USA&features=VOICE,SMS&size=101&search_pattern=3', headers })).toHaveLength(4);
    expect(spec.validateRequest({ path: '/number/search', rawQuery: 'country=US&type=local', headers })).toEqual([expect.stringMatching(/type must be equal to one of the allowed values/)]);
    expect(spec.validateRequest({ path: '/number/search', rawQuery: 'country=US', headers: {} })).toEqual([expect.stringMatching(/authorization/)]);
    expect(spec.validateResponse('/number/search', 200, { count: '3', numbers: [{ msisdn: 14155550100 }] })).toEqual(['/count must be integer', '/numbers/0/msisdn must be string']);
  });
});
