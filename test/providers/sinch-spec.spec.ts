import { EmulatorServer } from '../../emulators/core/server';
import { sinchEmulator } from '../../emulators/sinch/sinch.emulator';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { SearchQuery } from '../../src/domain/search-query';
import { sinchProvider } from '../../src/providers/sinch/sinch.provider';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { createProviderFromEnv } from '../support/provider-under-test';
import { replay, requestErrors, runQueries } from '../support/spec-checks';

/**
 * The Sinch adapter's searches and the emulator's answers against the available-numbers operation as Sinch's own
 * generated SDK states it (test/fixtures/carrier-specs/sinch-available-numbers.sdk-derived.openapi.yaml: Sinch's
 * numbers.yaml could not be obtained whole, so the operation is written from the client OpenAPI Generator made of
 * it; the file names every source). Parameter names, requirements and enums, the Basic/OAuth2 schemes and the
 * answer's property names and types are checked; the token request is not part of this API.
 */
const spec = new OpenApiValidator('sinch-available-numbers.sdk-derived.openapi.yaml');

const QUERIES: Partial<SearchQuery>[] = [
  {},
  { countryCode: 'US', areaCode: '415', features: ['sms', 'voice'], limit: 20 },
  { countryCode: 'US', phoneNumberType: 'toll_free', features: ['voice'], limit: 50 },
  { countryCode: 'GB', phoneNumberType: 'mobile', features: ['sms'], limit: 5 },
  { countryCode: 'DE', areaCode: '30' },
  { countryCode: 'AU', phoneNumberType: 'mobile', limit: 3 },
  // Not supported (no national type, no mms or fax capability): never sent.
  { countryCode: 'GB', phoneNumberType: 'national' },
  { countryCode: 'US', features: ['mms'] },
];

let emu: EmulatorServer;
let sinch: NumberProvider;
beforeAll(async () => {
  emu = new EmulatorServer([sinchEmulator]);
  await emu.listen();
  sinch = createProviderFromEnv(sinchProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const isSearch = (r: { path: string }) => r.path.endsWith('/availableNumbers');

describe('sinch against the operation of its generated SDK', () => {
  it('sends only searches the operation accepts: required regionCode and type, enums, repeated capabilities, bearer token', async () => {
    const { requests, supported } = await runQueries(emu, 'sinch', sinch, QUERIES, isSearch);
    expect(supported).toBe(6);
    expect(requests).toHaveLength(6);
    expect(requestErrors(spec, requests)).toEqual({ errors: [], tolerated: [] });
    expect(requests.some((r) => new URLSearchParams(r.rawQuery).getAll('capabilities').length === 2)).toBe(true);
  });

  it('receives answers that match AvailableNumbersListResponse, empty ones included', async () => {
    const { requests } = await runQueries(emu, 'sinch', sinch, QUERIES, isSearch);
    let numbers = 0;
    for (const req of requests) {
      const body = (await (await replay(emu, 'sinch', req)).json()) as { availableNumbers?: unknown[] };
      numbers += body.availableNumbers?.length ?? 0;
      expect({ request: req.rawQuery, ...spec.checkResponse(req.path, 200, body) }).toEqual({ request: req.rawQuery, errors: [], tolerated: [] });
    }
    expect(numbers).toBeGreaterThan(30);
    for (const emptyShape of ['omit', 'array']) {
      emu.setBehaviour('sinch', { options: { emptyShape } });
      const body = await (await replay(emu, 'sinch', { ...requests[0], rawQuery: 'regionCode=FR&type=LOCAL' })).json();
      expect(spec.checkResponse(requests[0].path, 200, body)).toEqual({ errors: [], tolerated: [] });
    }
  });

  it('the checks reject what the operation rejects', () => {
    const path = `/v1/projects/${sinchEmulator.defaultCredentials.projectId}/availableNumbers`;
    const bearer = { authorization: 'Bearer token' };
    expect(spec.validateRequest({ path, rawQuery: 'regionCode=US', headers: bearer })).toEqual(['query type is required']);
    expect(spec.validateRequest({ path, rawQuery: 'regionCode=US&type=NATIONAL&capabilities=SMS,VOICE&numberPattern.searchPattern=CONTAIN', headers: bearer })).toHaveLength(3);
    expect(spec.validateRequest({ path, rawQuery: 'regionCode=US&type=LOCAL&pageSize=5', headers: bearer })).toEqual([expect.stringMatching(/pageSize is not a parameter/)]);
    expect(spec.validateRequest({ path, rawQuery: 'regionCode=US&type=LOCAL', headers: {} })).toEqual([expect.stringMatching(/authorization/)]);
    expect(spec.validateRequest({ path, rawQuery: 'regionCode=US&type=LOCAL', headers: { authorization: 'Basic YTpi' } })).toEqual([]);
    expect(spec.validateResponse(path, 200, { availableNumbers: [{ phoneNumber: '+14155550100', capability: ['MMS'], paymentIntervalMonths: '1' }] })).toEqual([
      '/availableNumbers/0/capability/0 must be equal to one of the allowed values',
      '/availableNumbers/0/paymentIntervalMonths must be integer',
    ]);
  });
});
