import { redactAuthorization } from '../../emulators/core/redact';
import { bandwidthEmulator } from '../../emulators/bandwidth/bandwidth.emulator';
import { EmulatorServer } from '../../emulators/core/server';
import { bandwidthError } from '../../src/providers/bandwidth/bandwidth.errors';
import { bandwidthProvider } from '../../src/providers/bandwidth/bandwidth.provider';
import { ProviderResponse } from '../../src/providers/http/provider-http-client';
import { ProviderError } from '../../src/domain/provider-error';
import type { NumberProvider } from '../../src/domain/number-provider';
import { itMapsTransportFaults } from '../support/transport-faults';
import { createProviderFromEnv, ctx, query, failure } from '../support/provider-under-test';

let emu: EmulatorServer;
let bandwidth: NumberProvider;
const CREDS = bandwidthEmulator.defaultCredentials;
const BASIC = `Basic ${Buffer.from(`${CREDS.username}:${CREDS.password}`).toString('base64')}`;

beforeAll(async () => {
  emu = new EmulatorServer([bandwidthEmulator]);
  await emu.listen();
  bandwidth = createProviderFromEnv(bandwidthProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const searchUrl = (q: string) => `${emu.url}/bandwidth/accounts/${CREDS.accountId}/availableNumbers?${q}`;
const get = (q: string, headers: Record<string, string> = { authorization: BASIC }) => fetch(searchUrl(q), { headers });
/** The 10-digit numbers of an XML answer, from either element. */
const digitsIn = (xml: string) => [...xml.matchAll(/<(?:FullNumber|TelephoneNumber)>(\d+)</g)].map((m) => m[1]);
const xmlResponse = (body: string, status = 200, headers: Record<string, string> = {}) => new ProviderResponse('bandwidth', status, headers, body);

describe('bandwidth adapter: wire request', () => {
  it('asks for one area code (no LCA: the Area Code search takes none), number details and an explicit quantity, with Basic auth', async () => {
    await bandwidth.search(query({ countryCode: 'US', areaCode: '415', limit: 7 }), ctx());
    const [req] = emu.requests('bandwidth');
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`/accounts/${CREDS.accountId}/availableNumbers`);
    expect(req.headers.authorization).toBe(redactAuthorization(BASIC));
    expect(req.headers.accept).toBe('application/xml');
    expect(req.rawQuery).toBe('areaCode=415&enableTNDetail=true&quantity=7');
  });

  it('sends a six-digit prefix as npaNxx with LCA off (NPA-NXX with Local Calling Area)', async () => {
    await bandwidth.search(query({ countryCode: 'US', areaCode: '212555', limit: 3 }), ctx());
    expect(emu.requests('bandwidth')[0].rawQuery).toBe('npaNxx=212555&LCA=false&enableTNDetail=true&quantity=3');
  });

  it.each([
    [undefined, '8**'],
    ['8', '8**'],
    ['877', '87*'],
    ['800', '80*'],
  ])('searches toll-free (area code %s) with tollFreeWildCardPattern=%s and nothing else but quantity', async (areaCode, pattern) => {
    await bandwidth.search(query({ phoneNumberType: 'toll_free', areaCode, limit: 3 }), ctx());
    const [req] = emu.requests('bandwidth');
    // `*` is left unencoded by the form serializer, and Bandwidth reads it literally.
    expect(req.rawQuery).toBe(`tollFreeWildCardPattern=${pattern}&quantity=3`);
  });

  it('supports US and Canada local searches with an area code and toll-free, and nothing it cannot verify', () => {
    expect(bandwidth.supports(query({ countryCode: 'US', areaCode: '415' }))).toBe(true);
    expect(bandwidth.supports(query({ countryCode: 'CA', areaCode: '416' }))).toBe(true);
    expect(bandwidth.supports(query({ countryCode: 'US', phoneNumberType: 'toll_free' }))).toBe(true);
    expect(bandwidth.supports(query({ countryCode: 'CA', phoneNumberType: 'toll_free', areaCode: '833' }))).toBe(true);
    // Not NANP, not a type Bandwidth can search, features it has no data for.
    expect(bandwidth.supports(query({ countryCode: 'GB', areaCode: '20' }))).toBe(false);
    expect(bandwidth.supports(query({ countryCode: 'US', phoneNumberType: 'mobile', areaCode: '415' }))).toBe(false);
    expect(bandwidth.supports(query({ countryCode: 'US', phoneNumberType: 'national', areaCode: '415' }))).toBe(false);
    expect(bandwidth.supports(query({ countryCode: 'US', areaCode: '415', features: ['sms'] }))).toBe(false);
    expect(bandwidth.supports(query({ countryCode: 'US', phoneNumberType: 'toll_free', features: ['voice'] }))).toBe(false);
    // A local search needs a search key (4010 otherwise); a prefix Bandwidth cannot express is not sent.
    expect(bandwidth.supports(query({ countryCode: 'US' }))).toBe(false);
    expect(bandwidth.supports(query({ countryCode: 'US', areaCode: '41' }))).toBe(false);
    expect(bandwidth.supports(query({ countryCode: 'US', areaCode: '115' }))).toBe(false);
    expect(bandwidth.supports(query({ countryCode: 'US', phoneNumberType: 'toll_free', areaCode: '415' }))).toBe(false);
  });
});

describe('bandwidth adapter: normalisation', () => {
  const inventory = () => new Map(emu.inventory('bandwidth').map((n) => [n.e164, n]));

  it.each(['FullNumber', 'TelephoneNumber'])('reads details with the digits in %s: +1, City, State and RateCenter, no features', async (numberElement) => {
    emu.setBehaviour('bandwidth', { options: { numberElement } });
    const numbers = await bandwidth.search(query({ countryCode: 'US', areaCode: '415', limit: 5 }), ctx());
    expect(numbers).toHaveLength(5);
    const held = inventory();
    for (const n of numbers) {
      expect(n.phoneNumber).toMatch(/^\+1415\d{7}$/);
      expect(held.get(n.phoneNumber)).toBeDefined();
      expect(n).toEqual({ phoneNumber: n.phoneNumber, locality: 'SAN FRANCISCO', administrativeArea: 'CA', rateCenter: 'SNFC CNTRL', features: [] });
    }
  });

  it('reads Canadian numbers the same way', async () => {
    const numbers = await bandwidth.search(query({ countryCode: 'CA', areaCode: '604', limit: 2 }), ctx());
    expect(numbers.map((n) => [n.locality, n.administrativeArea])).toEqual([['VANCOUVER', 'BC'], ['VANCOUVER', 'BC']]);
  });

  it('reads a plain TelephoneNumberList (toll-free), without locality', async () => {
    const numbers = await bandwidth.search(query({ phoneNumberType: 'toll_free', areaCode: '888', limit: 4 }), ctx());
    expect(numbers).toHaveLength(4);
    const held = inventory();
    for (const n of numbers) {
      expect(n).toEqual({ phoneNumber: expect.stringMatching(/^\+1888\d{7}$/), features: [] });
      expect(held.get(n.phoneNumber)?.type).toBe('toll_free');
    }
  });

  it('reads a one-element list as a list', async () => {
    for (const phoneNumberType of ['local', 'toll_free'] as const) {
      const numbers = await bandwidth.search(query({ phoneNumberType, areaCode: phoneNumberType === 'local' ? '312' : undefined, limit: 1 }), ctx());
      expect(numbers).toHaveLength(1);
      expect(numbers[0].phoneNumber).toMatch(/^\+1\d{10}$/);
    }
    expect(await bandwidthNumbers('<SearchResult><ResultCount>1</ResultCount><TelephoneNumberList><TelephoneNumber>9192286710</TelephoneNumber></TelephoneNumberList></SearchResult>')).toEqual(['+19192286710']);
  });

  it('skips malformed items in both list shapes and keeps the good ones', async () => {
    emu.setBehaviour('bandwidth', { options: { malformedItems: true } });
    const local = await bandwidth.search(query({ areaCode: '206', limit: 4 }), ctx());
    expect(local).toHaveLength(4);
    for (const n of local) expect(n.phoneNumber).toMatch(/^\+1206\d{7}$/);
    const tollFree = await bandwidth.search(query({ phoneNumberType: 'toll_free', limit: 4 }), ctx());
    expect(tollFree).toHaveLength(4);
    for (const n of tollFree) expect(n.phoneNumber).toMatch(/^\+18\d{9}$/);
    // The answers really held the malformed items.
    for (const req of [...emu.requests('bandwidth')]) {
      const body = await (await get(req.rawQuery)).text();
      expect(body).toMatch(/<FullNumber>0155501234<\/FullNumber>|<TelephoneNumber>555012<\/TelephoneNumber>/);
    }
  });

  it.each(['bare', 'count'])('treats an empty SearchResult (%s) as no numbers', async (emptyShape) => {
    emu.setBehaviour('bandwidth', { options: { emptyShape } });
    // A six-digit prefix of a served area code that holds no numbers.
    const taken = new Set(emu.inventory('bandwidth').map((n) => n.national.slice(0, 6)));
    const free = ['415200', '415201', '415202', '415203', '415204', '415205'].find((p) => !taken.has(p))!;
    expect(await bandwidth.search(query({ areaCode: free }), ctx())).toEqual([]);
    const body = await (await get(emu.requests('bandwidth')[0].rawQuery)).text();
    expect(body).toContain(emptyShape === 'bare' ? '<SearchResult/>' : '<ResultCount>0</ResultCount>');
  });

  it('answers no numbers for 4023 (no service in this area), with HTTP 400 or inside a 200', async () => {
    // 907 (Alaska) is an area code the emulated Bandwidth does not serve.
    expect(await bandwidth.search(query({ areaCode: '907' }), ctx())).toEqual([]);
    expect(emu.requests('bandwidth')[0].status).toBe(400);
    emu.setBehaviour('bandwidth', { options: { searchError: '4023', errorIn200: true } });
    expect(await bandwidth.search(query({ areaCode: '415' }), ctx())).toEqual([]);
  });

  it('reads empty and odd answers in every form it tolerates', async () => {
    expect(await bandwidthNumbers('<SearchResult/>')).toEqual([]);
    expect(await bandwidthNumbers('<?xml version="1.0"?>\n<SearchResult>\n</SearchResult>')).toEqual([]);
    expect(await bandwidthNumbers('<SearchResult><ResultCount>0</ResultCount><TelephoneNumberList/></SearchResult>')).toEqual([]);
    // Some tools prefix the 1; escaped text is decoded once.
    expect(await bandwidthNumbers('<SearchResult><TelephoneNumberDetailList><TelephoneNumberDetail><City>A&amp;B</City><State> NC </State><FullNumber>19195550134</FullNumber></TelephoneNumberDetail></TelephoneNumberDetailList></SearchResult>', true)).toEqual([
      { phoneNumber: '+19195550134', locality: 'A&B', administrativeArea: 'NC', features: [] },
    ]);
  });
});

/** Runs the adapter's reading of a 200 body through a fake HTTP layer. */
async function bandwidthNumbers(body: string, full = false): Promise<unknown> {
  const adapter = bandwidthProvider.create(
    { accountId: 'a', username: 'u', password: 'p', baseUrl: 'http://unused' },
    { http: { request: () => Promise.resolve(xmlResponse(body)) } },
  );
  const numbers = await adapter.search(query({ areaCode: '919' }), ctx());
  return full ? numbers : numbers.map((n) => n.phoneNumber);
}

describe('bandwidth adapter: XML safety', () => {
  const adapterAnswering = (body: string, status = 200) =>
    bandwidthProvider.create(
      { accountId: 'a', username: 'u', password: 'p', baseUrl: 'http://unused' },
      { http: { request: () => Promise.resolve(xmlResponse(body, status)) } },
    );

  it('never expands entities: a DOCTYPE body is refused as bad_response', async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
      '<SearchResult><TelephoneNumberDetailList><TelephoneNumberDetail><City>&lol3;</City><FullNumber>9195550134</FullNumber></TelephoneNumberDetail></TelephoneNumberDetailList></SearchResult>';
    expect(await failure(adapterAnswering(laughs).search(query({ areaCode: '919' }), ctx()))).toMatchObject({ kind: 'bad_response', httpStatus: 200 });
    const external = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><SearchResult><Error><Code>&x;</Code></Error></SearchResult>';
    expect(bandwidthError(xmlResponse(external, 400))).toMatchObject({ kind: 'bad_response', httpStatus: 400 });
  });

  it('leaves an undeclared entity reference literal', async () => {
    const body = '<SearchResult><TelephoneNumberDetailList><TelephoneNumberDetail><City>&xxe;</City><FullNumber>9195550134</FullNumber></TelephoneNumberDetail></TelephoneNumberDetailList></SearchResult>';
    expect(await adapterAnswering(body).search(query({ areaCode: '919' }), ctx())).toEqual([{ phoneNumber: '+19195550134', locality: '&xxe;', features: [] }]);
  });

  it('refuses a non-SearchResult root and a count without a list', async () => {
    expect(await failure(adapterAnswering('<Other><TelephoneNumber>9195550134</TelephoneNumber></Other>').search(query({ areaCode: '919' }), ctx()))).toMatchObject({ kind: 'bad_response' });
    expect(await failure(adapterAnswering('<SearchResult><ResultCount>3</ResultCount></SearchResult>').search(query({ areaCode: '919' }), ctx()))).toMatchObject({ kind: 'bad_response' });
  });
});

describe('bandwidth adapter: errors', () => {
  it.each([
    [401, 'auth_failed', undefined],
    [403, 'auth_failed', '4014'],
    [400, 'invalid_request', '4010'],
    [500, 'unavailable', '4009'],
    [503, 'unavailable', undefined],
  ])('maps HTTP %i to %s with code %s', async (status, kind, code) => {
    emu.setBehaviour('bandwidth', { fault: { type: 'error', status } });
    const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx()));
    expect({ kind: e.kind, providerCode: e.providerCode, httpStatus: e.httpStatus, provider: e.provider }).toEqual({ kind, providerCode: code, httpStatus: status, provider: 'bandwidth' });
  });

  it.each([
    // Status first: a "please retry" code inside a 400 is still a refused request, never retried.
    ['4009', 'invalid_request', 'System error, please retry'],
    ['4014', 'auth_failed', 'Access Denied'],
    ['4024', 'invalid_request', 'The numbers found are in a restricted tier'],
    ['4000', 'invalid_request', 'The area code of telephone numbers can only contain digits and must be 3 digits long, the first digit 2-9'],
  ])('maps search error %s to %s with its description', async (code, kind, message) => {
    emu.setBehaviour('bandwidth', { options: { searchError: code } });
    expect(await failure(bandwidth.search(query({ areaCode: '415' }), ctx()))).toMatchObject({ kind, providerCode: code, httpStatus: 400, message });
  });

  it.each(['Error', 'ErrorCode', 'Errors', 'ResultCode'])('reads the %s error family, also inside a 200', async (errorFamily) => {
    for (const [errorIn200, searchErrorStatus, kind] of [
      [false, 400, 'invalid_request'],
      [false, 500, 'unavailable'],
      [true, 200, 'unavailable'],
    ] as const) {
      emu.setBehaviour('bandwidth', { options: { searchError: '4009', errorFamily, errorIn200, searchErrorStatus } });
      const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx()));
      // Inside a 200 the code is all there is: 4009 "please retry" is transient there and on a 500 only.
      expect(e).toMatchObject({ kind, providerCode: '4009', httpStatus: searchErrorStatus, message: 'System error, please retry' });
      expect(e.retryable).toBe(kind === 'unavailable');
    }
  });

  it('reads a 4xxx code inside a 200 as a rejected search, and ResultCode 0 as success', async () => {
    const okWithError = xmlResponse('<SearchResult><Error><Code>4010</Code><Description>bad</Description></Error></SearchResult>');
    expect(bandwidthError(okWithError)).toMatchObject({ kind: 'invalid_request', providerCode: '4010', message: 'bad' });
    expect(await bandwidthNumbers('<SearchResult><ResultCode>0</ResultCode><ResultCount>1</ResultCount><TelephoneNumberList><TelephoneNumber>9192286710</TelephoneNumber></TelephoneNumberList></SearchResult>')).toEqual(['+19192286710']);
  });

  it('maps 429 with an empty body and X-RateLimit-Reset (epoch seconds) to rate_limited with the wait', async () => {
    emu.setBehaviour('bandwidth', { fault: { type: 'rate_limit', retryAfterSeconds: 7 } });
    const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx()));
    expect(e).toMatchObject({ kind: 'rate_limited', httpStatus: 429, providerCode: undefined });
    // The reset is a whole epoch second: 6 or 7 seconds away by the time it is read.
    expect([6, 7]).toContain(e.retryAfterSeconds);
    const res = await get('areaCode=415');
    expect(res.status).toBe(429);
    expect(await res.text()).toBe('');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('maps a 401 whatever its body, and a bare 5xx, by status', () => {
    expect(bandwidthError(xmlResponse('<html>Unauthorized</html', 401))).toMatchObject({ kind: 'auth_failed', httpStatus: 401 });
    expect(bandwidthError(xmlResponse('', 502))).toMatchObject({ kind: 'unavailable', httpStatus: 502 });
  });

  itMapsTransportFaults('bandwidth', () => ({ emu, provider: bandwidth }), { search: { areaCode: '415' } });

  it('rejects a wrong password over HTTP as auth_failed, and never puts credentials in an error', async () => {
    const bad = createProviderFromEnv(bandwidthProvider, { ...emu.env(), BANDWIDTH_PASSWORD: 'PW_wrong_secret' });
    const wrong = await failure(bad.search(query({ areaCode: '415' }), ctx()));
    expect(wrong).toMatchObject({ kind: 'auth_failed', httpStatus: 401 });
    const faults = [
      { type: 'error', status: 400 }, { type: 'error', status: 401 }, { type: 'error', status: 500 }, { type: 'rate_limit' },
      { type: 'garbage' }, { type: 'html' }, { type: 'truncated' }, { type: 'reset' },
    ] as const;
    const seen = [JSON.stringify(wrong.toLog()), wrong.message];
    for (const fault of faults) {
      emu.setBehaviour('bandwidth', { fault });
      const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx()));
      seen.push(e.message, JSON.stringify(e.toLog()));
    }
    for (const text of seen) {
      for (const secret of ['PW_wrong_secret', CREDS.password, CREDS.username, BASIC.slice(6)]) expect(text).not.toContain(secret);
    }
  });
});

describe('bandwidth emulator: rejects what Bandwidth rejects', () => {
  const codeOf = (xml: string) => /<Code>(\d+)<\/Code>/.exec(xml)?.[1];

  it('answers 401 with an empty body without or with wrong Basic credentials', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: `Basic ${Buffer.from(`${CREDS.username}:nope`).toString('base64')}` }]) {
      const res = await get('areaCode=415', headers);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
    }
  });

  it('answers 403 with 4014 for another account in the path', async () => {
    const res = await fetch(`${emu.url}/bandwidth/accounts/1234567/availableNumbers?areaCode=415`, { headers: { authorization: BASIC } });
    expect(res.status).toBe(403);
    expect(codeOf(await res.text())).toBe('4014');
  });

  it('answers 4010 with the spec\'s own text when no search key is given', async () => {
    for (const q of ['', 'quantity=5', 'LCA=false&enableTNDetail=true']) {
      const res = await get(q);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/xml');
      const body = await res.text();
      expect(body).toContain('<SearchResult><Error><Code>4010</Code><Description>One of more required search parameters are null or empty, please refer to the api documentation</Description></Error></SearchResult>');
    }
  });

  it.each([
    ['areaCode=41', '4000'],
    ['areaCode=115', '4000'],
    ['areaCode=4155', '4000'],
    ['npaNxx=41520', '4002'],
    ['state=California', '4006'],
    ['zip=9410', '4007'],
    ['tollFreeWildCardPattern=9**', '4004'],
    ['tollFreeWildCardPattern=8*', '4004'],
    ['tollFreeWildCardPattern=8**&areaCode=415', '4010'],
    ['areaCode=415&quantity=5001', '4010'],
    ['areaCode=415&quantity=0', '4010'],
    ['npaNxx=415555&LCA=no', '4010'],
    ['npaNxx=415555&orderBy=price', '4020'],
    ['areaCode=415&orderBy=fullNumber', '4010'],
  ])('rejects %s with %s', async (q, code) => {
    const res = await get(q);
    expect(res.status).toBe(400);
    expect(codeOf(await res.text())).toBe(code);
  });

  it.each([
    'areaCode=415&LCA=false',
    'areaCode=415&LCA=true&enableTNDetail=true&quantity=5',
    'npaNxx=415555&state=CA&LCA=false',
    'areaCode=415&npaNxx=415555',
    'areaCode=415&rateCenter=SNFCCNTRL',
    'localVanity=CARS&LCA=false',
    'tollFreeWildCardPattern=8**&enableTNDetail=true',
    'tollFreeVanity=NEWCARS&tollFreeWildCardPattern=8**',
  ])('rejects %s, a combination no row of the search-type table admits, with 4010', async (q) => {
    const res = await get(q);
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(codeOf(body)).toBe('4010');
    expect(body).toContain('<Description>Provided search criteria are unsupported or are not valid</Description>');
  });

  it.each([
    'areaCode=415&enableTNDetail=true&quantity=5',
    'areaCode=415&state=CA&protected=NONE',
    'npaNxx=415555&LCA=false&enableTNDetail=true',
    'npaNxx=415555&state=CA&orderBy=fullNumber',
    'npaNxxx=4155551&state=CA&LCA=true',
    'rateCenter=SNFCCNTRL&state=CA&LCA=false',
    'state=CA&city=SAN FRANCISCO&areaCode=415',
    'localVanity=CARS&areaCode=415&endsIn=true',
    'tollFreeWildCardPattern=80*&orderBy=fullNumber&quantity=3',
  ])('accepts %s, which a row of the search-type table admits', async (q) => {
    expect((await get(q)).status).toBe(200);
  });

  it('answers XML with a ResultCount, 5000 numbers at most by default, no other country or type', async () => {
    const res = await get('areaCode=415');
    expect(res.headers.get('content-type')).toBe('application/xml');
    const body = await res.text();
    const expected = emu.inventory('bandwidth').filter((n) => n.national.startsWith('415') && n.type === 'local');
    expect(expected.length).toBeGreaterThan(10);
    // No quantity: everything found (the default is 5000); a plain list without enableTNDetail.
    expect(body).toContain(`<ResultCount>${expected.length}</ResultCount><TelephoneNumberList>`);
    expect(digitsIn(body).sort()).toEqual(expected.map((n) => n.national).sort());
    expect(emu.inventory('bandwidth').every((n) => ['US', 'CA'].includes(n.country) && ['local', 'toll_free'].includes(n.type))).toBe(true);
  });

  it('mixes neighbouring exchanges into an NPA-NXX search unless LCA=false, and never into an area-code search', async () => {
    const npaNxx = emu.inventory('bandwidth').find((n) => n.type === 'local' && n.areaCode === '415')!.national.slice(0, 6);
    for (const lca of ['', '&LCA=true']) {
      const digits = digitsIn(await (await get(`npaNxx=${npaNxx}&quantity=40${lca}`)).text());
      expect(digits.some((d) => d.startsWith(npaNxx))).toBe(true);
      expect(digits.some((d) => !d.startsWith(npaNxx))).toBe(true);
    }
    const exact = digitsIn(await (await get(`npaNxx=${npaNxx}&quantity=40&LCA=false`)).text());
    expect(exact.length).toBeGreaterThan(0);
    expect(exact.every((d) => d.startsWith(npaNxx))).toBe(true);
    const byAreaCode = digitsIn(await (await get('areaCode=415&quantity=40')).text());
    expect(byAreaCode.length).toBeGreaterThan(0);
    expect(byAreaCode.every((d) => d.startsWith('415'))).toBe(true);
  });

  it('honours quantity and renders 10-digit numbers without +1', async () => {
    const digits = digitsIn(await (await get('tollFreeWildCardPattern=8**&quantity=12')).text());
    expect(digits).toHaveLength(12);
    for (const d of digits) expect(d).toMatch(/^8\d{9}$/);
  });
});
