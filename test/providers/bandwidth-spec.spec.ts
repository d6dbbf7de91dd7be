import { bandwidthEmulator } from '../../emulators/bandwidth/bandwidth.emulator';
import { SEARCH_TYPES, searchTypeOf } from '../../emulators/bandwidth/search-types';
import { EmulatorServer } from '../../emulators/core/server';
import { bandwidthProvider } from '../../src/providers/bandwidth/bandwidth.provider';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { SearchQuery } from '../../src/domain/search-query';
import { specSearchTypes, specView } from '../support/bandwidth-spec';
import { OpenApiValidator } from '../support/openapi-request-validator';
import { createProviderFromEnv } from '../support/provider-under-test';
import { replay, requestErrors, runQueries } from '../support/spec-checks';

/**
 * The Bandwidth adapter's requests and the emulator's answers against Bandwidth's official numbers spec
 * (GetAvailableTns, extracted from Bandwidth/api-docs site/specs/numbers.yml into
 * test/fixtures/carrier-specs/bandwidth-available-numbers.openapi.yaml): the parameters' schemas, the Basic scheme,
 * the search-type table of its description (which parameters combine), and the XML answers read through the
 * schemas' XML names.
 */
const spec = new OpenApiValidator('bandwidth-available-numbers.openapi.yaml');

const QUERIES: Partial<SearchQuery>[] = [
  { countryCode: 'US', areaCode: '415', limit: 7 },
  { countryCode: 'US', areaCode: '415333', limit: 3 },
  { countryCode: 'CA', areaCode: '604', limit: 50 },
  { countryCode: 'US', phoneNumberType: 'toll_free', limit: 10 },
  { countryCode: 'US', phoneNumberType: 'toll_free', areaCode: '877', limit: 2 },
  { countryCode: 'CA', phoneNumberType: 'toll_free', areaCode: '8' },
  // Not supported (no key Bandwidth accepts, no type, no capability data, not NANP): never sent.
  { countryCode: 'US' },
  { countryCode: 'US', phoneNumberType: 'mobile', areaCode: '415' },
  { countryCode: 'US', areaCode: '415', features: ['sms'] },
  { countryCode: 'GB', areaCode: '20' },
];

let emu: EmulatorServer;
let bandwidth: NumberProvider;
beforeAll(async () => {
  emu = new EmulatorServer([bandwidthEmulator]);
  await emu.listen();
  bandwidth = createProviderFromEnv(bandwidthProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe('bandwidth against its official spec', () => {
  it('the emulator\'s search-type table is the spec\'s', () => {
    // The spec's Local Vanity row names its detail flag "enableTNdetails": the parameter is enableTNDetail.
    const fromSpec = specSearchTypes(spec).map((t) => ({ ...t, optional: t.optional.map((o) => (o === 'enableTNdetails' ? 'enableTNDetail' : o)) }));
    expect(fromSpec).toHaveLength(14);
    const sorted = (t: { name: string; required: readonly string[]; combinational: readonly string[]; optional: readonly string[] }) => ({
      name: t.name,
      required: [...t.required].sort(),
      combinational: [...new Set(t.combinational)].sort(),
      optional: [...t.optional].sort(),
    });
    expect(SEARCH_TYPES.map(sorted)).toEqual(fromSpec.map(sorted));
  });

  it('sends only requests the operation accepts, each a combination one row of the table admits', async () => {
    const { requests, supported } = await runQueries(emu, 'bandwidth', bandwidth, QUERIES);
    expect(supported).toBe(6);
    expect(requests).toHaveLength(6);
    expect(requestErrors(spec, requests)).toEqual({ errors: [], tolerated: [] });
    const rows = requests.map((r) => searchTypeOf(new URLSearchParams(r.rawQuery).keys())?.name);
    expect(rows).toEqual(['Area Code', 'NPA-NXX with Local Calling Area', 'Area Code', 'TollFree WildCard', 'TollFree WildCard', 'TollFree WildCard']);
    for (const r of requests) expect(r.status).toBe(200);
  });

  it('receives XML answers that match SearchResult, in both of its forms, and errors that match SearchResultErrorWrapper', async () => {
    const { requests } = await runQueries(emu, 'bandwidth', bandwidth, QUERIES);
    const pointers = new Set<string>();
    let numbers = 0;
    for (const req of requests) {
      const res = await replay(emu, 'bandwidth', req);
      expect(res.status).toBe(200);
      const { pointer, value } = specView(spec, await res.text());
      pointers.add(pointer);
      numbers += ((value as { telephoneNumberDetailList?: unknown[]; TelephoneNumberList?: unknown[] }).telephoneNumberDetailList ?? (value as { TelephoneNumberList: unknown[] }).TelephoneNumberList).length;
      expect({ request: req.rawQuery, ...spec.checkAt(pointer, value) }).toEqual({ request: req.rawQuery, errors: [], tolerated: [] });
    }
    expect([...pointers].sort()).toEqual(['#/components/schemas/SearchResult/oneOf/0', '#/components/schemas/SearchResult/oneOf/1']);
    expect(numbers).toBeGreaterThan(20);
    const { username, password } = bandwidthEmulator.defaultCredentials;
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const rejected = await fetch(`${emu.url}/bandwidth/accounts/${bandwidthEmulator.defaultCredentials.accountId}/availableNumbers?areaCode=415&LCA=false`, { headers: { authorization: basic } });
    expect(rejected.status).toBe(400);
    const error = specView(spec, await rejected.text());
    expect(error).toEqual({ pointer: '#/components/schemas/SearchResultErrorWrapper', value: { SearchResult: { Error: { Code: 4010, Description: 'Provided search criteria are unsupported or are not valid' } } } });
    expect(spec.checkAt(error.pointer, error.value)).toEqual({ errors: [], tolerated: [] });
  });

  it('the checks reject what the spec rejects', () => {
    const headers = { authorization: 'Basic YTpi' };
    const path = '/accounts/9900001/availableNumbers';
    expect(spec.validateRequest({ path, rawQuery: 'areaCode=abc&quantity=5001&LCA=maybe', headers })).toHaveLength(3);
    expect(spec.validateRequest({ path, rawQuery: 'areacode=415', headers })).toEqual([expect.stringMatching(/areacode is not a parameter/)]);
    expect(spec.validateRequest({ path, rawQuery: 'areaCode=415', headers: {} })).toEqual([expect.stringMatching(/authorization/)]);
    expect(searchTypeOf(['areaCode', 'LCA'])).toBeUndefined();
    const detail = specView(spec, '<SearchResult><ResultCount>1</ResultCount><TelephoneNumberDetailList><TelephoneNumberDetail><LATA>abc</LATA><FullNumber>9195550134</FullNumber></TelephoneNumberDetail></TelephoneNumberDetailList></SearchResult>');
    expect(spec.checkAt(detail.pointer, detail.value).errors).toEqual(['/telephoneNumberDetailList/0/lata must be number']);
  });
});
