import { bandwidthEmulator } from '../../emulators/bandwidth/bandwidth.emulator';
import { EmulatorServer } from '../../emulators/core/server';
import { bandwidthError } from '../../src/providers/bandwidth/bandwidth.errors';
import { BandwidthProvider, bandwidthProvider } from '../../src/providers/bandwidth/bandwidth.provider';
import { ProviderResponse } from '../../src/providers/http/provider-http-client';
import { ProviderError } from '../../src/providers/provider-error';
import type { NumberProvider, SearchQuery } from '../../src/providers/provider.interface';
import { createProviderFromEnv, ctx, query } from '../support/provider-under-test';

let emu: EmulatorServer;
let bandwidth: NumberProvider;
const CREDS = bandwidthEmulator.defaultCredentials;
const AUTH = `Basic ${Buffer.from(`${CREDS.username}:${CREDS.password}`).toString('base64')}`;

beforeAll(async () => {
  emu = new EmulatorServer([bandwidthEmulator]);
  await emu.listen();
  bandwidth = createProviderFromEnv(bandwidthProvider, emu.env());
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

const searchUrl = (qs: string, account = CREDS.accountId) => `${emu.url}/bandwidth/accounts/${account}/availableNumbers?${qs}`;
const raw = (qs: string, headers: Record<string, string> = { authorization: AUTH }) => fetch(searchUrl(qs), { headers });

/** The code and description of a Bandwidth XML error body. */
async function xmlError(res: Response): Promise<{ status: number; code?: string; description?: string }> {
  const body = await res.text();
  return { status: res.status, code: /<Code>(\d+)<\/Code>/.exec(body)?.[1], description: /<Description>([^<]*)<\/Description>/.exec(body)?.[1] };
}

/** An adapter answered by a fixed response, for bodies the emulator has no reason to send. */
function answeredBy(status: number, body: string, headers: Record<string, string> = {}): NumberProvider {
  const config = { accountId: '9900001', username: 'user-x', password: 'secret-x', baseUrl: 'http://127.0.0.1:1/api' };
  return new BandwidthProvider(config, { request: () => Promise.resolve(new ProviderResponse('bandwidth', status, headers, body)) });
}

const PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const local415 = () => emu.inventory('bandwidth').filter((n) => n.type === 'local' && n.areaCode === '415');

describe('bandwidth adapter: wire request', () => {
  it('searches an area code with LCA off, details on and an explicit quantity, over Basic auth', async () => {
    await bandwidth.search(query({ countryCode: 'US', areaCode: '415', limit: 7 }), ctx());
    const [req] = emu.requests('bandwidth');
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`/accounts/${CREDS.accountId}/availableNumbers`);
    expect(req.headers.authorization).toBe(AUTH);
    expect(req.headers.accept).toBe('application/xml');
    expect(req.rawQuery).toBe('areaCode=415&LCA=false&enableTNDetail=true&quantity=7');
  });

  it('searches a six-digit prefix as npaNxx', async () => {
    const npaNxx = local415()[0].national.slice(0, 6);
    const numbers = await bandwidth.search(query({ areaCode: npaNxx, limit: 5 }), ctx());
    expect(emu.requests('bandwidth')[0].rawQuery).toBe(`npaNxx=${npaNxx}&LCA=false&enableTNDetail=true&quantity=5`);
    expect(numbers.length).toBeGreaterThan(0);
    for (const n of numbers) expect(n.phoneNumber.startsWith(`+1${npaNxx}`)).toBe(true);
  });

  it('searches toll-free through the wildcard pattern only, narrowed by an area code', async () => {
    const any = await bandwidth.search(query({ phoneNumberType: 'toll_free', limit: 4 }), ctx());
    const narrowed = await bandwidth.search(query({ countryCode: 'CA', phoneNumberType: 'toll_free', areaCode: '888', limit: 4 }), ctx());
    expect(emu.requests('bandwidth').map((r) => r.rawQuery)).toEqual([
      'tollFreeWildCardPattern=8**&quantity=4',
      'tollFreeWildCardPattern=88*&quantity=4',
    ]);
    expect(any).toHaveLength(4);
    expect(narrowed).toHaveLength(4);
    for (const n of narrowed) expect(n.phoneNumber).toMatch(/^\+1888\d{7}$/);
  });

  it.each<[string, Partial<SearchQuery>, boolean]>([
    ['US local with an area code', { areaCode: '212' }, true],
    ['CA local with an area code', { countryCode: 'CA', areaCode: '416' }, true],
    ['US local with an NPA-NXX', { areaCode: '415555' }, true],
    ['US toll-free', { phoneNumberType: 'toll_free' }, true],
    ['US toll-free 8xx', { phoneNumberType: 'toll_free', areaCode: '877' }, true],
    ['a country outside North America', { countryCode: 'GB', areaCode: '20' }, false],
    ['a local search without area code (no search key Bandwidth accepts)', {}, false],
    ['a prefix of 4 or 5 digits', { areaCode: '4155' }, false],
    ['a one-digit prefix', { areaCode: '4' }, false],
    ['an impossible NPA', { areaCode: '115' }, false],
    ['any feature (no capability data to verify it)', { areaCode: '415', features: ['voice'] }, false],
    ['mobile', { phoneNumberType: 'mobile', areaCode: '415' }, false],
    ['national', { phoneNumberType: 'national', areaCode: '415' }, false],
    ['toll-free outside the 8xx range', { phoneNumberType: 'toll_free', areaCode: '415' }, false],
  ])('supports(%s) is %s', (_label, partial, expected) => {
    expect(bandwidth.supports(query(partial))).toBe(expected);
  });
});

describe('bandwidth adapter: normalisation', () => {
  it('prefixes +1, takes locality from City and the state from State, claims no features', async () => {
    const numbers = await bandwidth.search(query({ areaCode: '415', limit: 6 }), ctx());
    expect(numbers).toHaveLength(6);
    const inventory = new Map(emu.inventory('bandwidth').map((n) => [n.e164, n]));
    for (const n of numbers) {
      const source = inventory.get(n.phoneNumber)!;
      expect(source).toBeDefined();
      expect(n).toEqual({ phoneNumber: source.e164, locality: 'SAN FRANCISCO', administrativeArea: 'CA', features: [] });
    }
  });

  it('reads the digits from TelephoneNumber inside a detail, as the SDK fixtures have them', async () => {
    const fullNumber = await bandwidth.search(query({ areaCode: '312', limit: 3 }), ctx());
    emu.setBehaviour('bandwidth', { options: { numberElement: 'TelephoneNumber' } });
    const telephoneNumber = await bandwidth.search(query({ areaCode: '312', limit: 3 }), ctx());
    expect(telephoneNumber).toEqual(fullNumber);
    const body = await (await raw('areaCode=312&LCA=false&enableTNDetail=true&quantity=1')).text();
    expect(body).toMatch(/<TelephoneNumberDetail>.*<TelephoneNumber>312\d{7}<\/TelephoneNumber>/);
    expect(body).not.toContain('<FullNumber>');
  });

  it('reads a one-element list as a list (detail and plain)', async () => {
    const one = await bandwidth.search(query({ areaCode: '206', limit: 1 }), ctx());
    expect(one).toHaveLength(1);
    const tollFree = await bandwidth.search(query({ phoneNumberType: 'toll_free', limit: 1 }), ctx());
    expect(tollFree).toHaveLength(1);
    expect(tollFree[0]).toEqual({ phoneNumber: expect.stringMatching(/^\+18\d{9}$/), features: [] });
  });

  it('turns LCA off: the emulator mixes neighbouring area codes in otherwise, the adapter gets only the asked one', async () => {
    const withLca = await raw('areaCode=415&quantity=20');
    const body = await withLca.text();
    const npas = new Set([...body.matchAll(/<TelephoneNumber>(\d{3})\d{7}<\/TelephoneNumber>/g)].map((m) => m[1]));
    expect(npas.has('415')).toBe(true);
    expect([...npas].some((npa) => npa !== '415')).toBe(true);
    const numbers = await bandwidth.search(query({ areaCode: '415', limit: 20 }), ctx());
    expect(numbers).toHaveLength(20);
    expect(numbers.every((n) => n.phoneNumber.startsWith('+1415'))).toBe(true);
  });

  it('skips malformed items and keeps the good ones', async () => {
    emu.setBehaviour('bandwidth', { options: { malformedItems: true } });
    const detail = await bandwidth.search(query({ areaCode: '617', limit: 4 }), ctx());
    expect(detail).toHaveLength(4);
    const plain = await bandwidth.search(query({ phoneNumberType: 'toll_free', limit: 4 }), ctx());
    expect(plain).toHaveLength(4);
    for (const n of [...detail, ...plain]) expect(n.phoneNumber).toMatch(/^\+1[2-9]\d{9}$/);
    const body = await (await raw('areaCode=617&LCA=false&enableTNDetail=true&quantity=4')).text();
    expect(body.match(/<TelephoneNumberDetail>/g)).toHaveLength(6);
  });

  it.each(['bare', 'count'])('reads an empty answer (%s) as no numbers', async (emptyShape) => {
    emu.setBehaviour('bandwidth', { options: { emptyShape } });
    // No toll-free NPA starts with 81.
    expect(await bandwidth.search(query({ phoneNumberType: 'toll_free', areaCode: '81' }), ctx())).toEqual([]);
    const body = await (await raw('tollFreeWildCardPattern=81*&quantity=5')).text();
    expect(body).toBe(`${PROLOG}${emptyShape === 'bare' ? '<SearchResult/>' : '<SearchResult><ResultCount>0</ResultCount></SearchResult>'}`);
  });

  it('reads 4023 (no new numbers in this area) as no numbers, whether it comes with 400 or 200', async () => {
    expect(await bandwidth.search(query({ areaCode: '907' }), ctx())).toEqual([]);
    expect(await xmlError(await raw('areaCode=907&LCA=false&quantity=5'))).toMatchObject({ status: 400, code: '4023' });
    emu.setBehaviour('bandwidth', { options: { searchError: '4023', errorIn200: true } });
    expect(await bandwidth.search(query({ areaCode: '415' }), ctx())).toEqual([]);
  });

  it('decodes predefined and numeric entities once, and leaves unknown ones literal', async () => {
    const body = `${PROLOG}<SearchResult><ResultCount>1</ResultCount><TelephoneNumberDetailList><TelephoneNumberDetail>` +
      '<City>ST. JOHN&apos;S &amp; MONTR&#201;AL &#x26;amp; &bogus;</City><State>NL</State><FullNumber>7095550123</FullNumber>' +
      '</TelephoneNumberDetail></TelephoneNumberDetailList></SearchResult>';
    const [n] = await answeredBy(200, body).search(query({ countryCode: 'CA', areaCode: '709' }), ctx());
    expect(n).toEqual({ phoneNumber: '+17095550123', locality: "ST. JOHN'S & MONTRÉAL &amp; &bogus;", administrativeArea: 'NL', features: [] });
  });

  it('accepts an 11-digit number with the leading 1, and skips other lengths', async () => {
    const body = '<SearchResult><TelephoneNumberList><TelephoneNumber>14155550123</TelephoneNumber>' +
      '<TelephoneNumber>+14155550124</TelephoneNumber><TelephoneNumber>24155550125</TelephoneNumber></TelephoneNumberList></SearchResult>';
    expect(await answeredBy(200, body).search(query({ areaCode: '415' }), ctx())).toEqual([{ phoneNumber: '+14155550123', features: [] }]);
  });
});

describe('bandwidth adapter: hostile and broken XML', () => {
  it('refuses a DOCTYPE (no entity can expand) as bad_response', async () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE SearchResult [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><SearchResult><TelephoneNumberDetailList><TelephoneNumberDetail><City>&c;</City>' +
      '<FullNumber>4155550123</FullNumber></TelephoneNumberDetail></TelephoneNumberDetailList></SearchResult>';
    const e = await failure(answeredBy(200, laughs).search(query({ areaCode: '415' }), ctx()));
    expect(e).toMatchObject({ kind: 'bad_response', httpStatus: 200, message: expect.stringContaining('DOCTYPE') });
    const external = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><SearchResult><ResultCount>0</ResultCount></SearchResult>';
    expect((await failure(answeredBy(200, external).search(query({ areaCode: '415' }), ctx()))).kind).toBe('bad_response');
  });

  it.each([
    ['JSON', '{"SearchResult": []}'],
    ['an empty 200', ''],
    ['unclosed XML', '<SearchResult><TelephoneNumberList><TelephoneNumber>4155550123'],
    ['another root element', '<Response><Test>test</Test></Response>'],
    ['a count without a list', '<SearchResult><ResultCount>3</ResultCount></SearchResult>'],
  ])('maps %s to bad_response', async (_label, body) => {
    expect((await failure(answeredBy(200, body).search(query({ areaCode: '415' }), ctx()))).kind).toBe('bad_response');
  });
});

describe('bandwidth adapter: errors', () => {
  it.each([
    ['4010', 'invalid_request'],
    ['4000', 'invalid_request'],
    ['4024', 'invalid_request'],
    ['4009', 'unavailable'],
    ['4014', 'auth_failed'],
  ])('maps search error %s to %s in every XML error family', async (code, kind) => {
    for (const errorFamily of ['Error', 'ErrorCode', 'Errors', 'ResultCode']) {
      emu.setBehaviour('bandwidth', { options: { searchError: code, errorFamily } });
      const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx()));
      expect({ errorFamily, kind: e.kind, providerCode: e.providerCode, httpStatus: e.httpStatus }).toEqual({ errorFamily, kind, providerCode: code, httpStatus: 400 });
      expect(e.message.length).toBeGreaterThan(10);
    }
  });

  it('treats an error inside a 200 as an error (the SDK checks every body)', async () => {
    emu.setBehaviour('bandwidth', { options: { searchError: '4009', errorIn200: true } });
    expect(await failure(bandwidth.search(query({ areaCode: '415' }), ctx()))).toMatchObject({ kind: 'unavailable', providerCode: '4009', httpStatus: 200, message: 'System error, please retry' });
    emu.setBehaviour('bandwidth', { options: { searchError: '4010', errorIn200: true, errorFamily: 'ErrorCode' } });
    expect(await failure(bandwidth.search(query({ areaCode: '415' }), ctx()))).toMatchObject({ kind: 'invalid_request', providerCode: '4010', httpStatus: 200 });
  });

  it('does not treat ResultCode 0 as an error', async () => {
    const body = '<SearchResult><ResultCode>0</ResultCode><ResultMessage>Completed</ResultMessage><TelephoneNumberList><TelephoneNumber>4155550123</TelephoneNumber></TelephoneNumberList></SearchResult>';
    expect(await answeredBy(200, body).search(query({ areaCode: '415' }), ctx())).toEqual([{ phoneNumber: '+14155550123', features: [] }]);
  });

  it.each([
    [401, 'auth_failed', undefined],
    [403, 'auth_failed', '4014'],
    [400, 'invalid_request', '4010'],
    [404, 'invalid_request', undefined],
    [500, 'unavailable', '4009'],
    [503, 'unavailable', undefined],
  ])('maps HTTP %i to %s (code %s)', async (status, kind, code) => {
    emu.setBehaviour('bandwidth', { fault: { type: 'error', status } });
    const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx()));
    expect({ kind: e.kind, providerCode: e.providerCode, httpStatus: e.httpStatus, provider: e.provider }).toEqual({ kind, providerCode: code, httpStatus: status, provider: 'bandwidth' });
  });

  it('maps 401 and 403 to auth_failed whatever their body, and 429 to rate_limited', () => {
    const html = '<html><body><h1>401 Unauthorized</h1></body></html>';
    expect(bandwidthError(new ProviderResponse('bandwidth', 401, {}, html))).toMatchObject({ kind: 'auth_failed', httpStatus: 401 });
    expect(bandwidthError(new ProviderResponse('bandwidth', 403, {}, 'Forbidden'))).toMatchObject({ kind: 'auth_failed' });
    expect(bandwidthError(new ProviderResponse('bandwidth', 429, { 'x-ratelimit-reset': '30' }, 'Too Many Requests'))).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 30 });
    // Any other status with a body that is not Bandwidth XML is garbage.
    expect(bandwidthError(new ProviderResponse('bandwidth', 500, {}, html))).toMatchObject({ kind: 'bad_response', httpStatus: 500 });
  });

  it('maps 429 with an empty body and X-RateLimit-Reset (epoch seconds) to rate_limited with the wait', async () => {
    emu.setBehaviour('bandwidth', { fault: { type: 'rate_limit', retryAfterSeconds: 7 } });
    const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx()));
    expect(e).toMatchObject({ kind: 'rate_limited', httpStatus: 429, providerCode: undefined });
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(6);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(7);
    const res = await raw('areaCode=415');
    expect(res.status).toBe(429);
    expect(await res.text()).toBe('');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it.each([
    ['garbage', 'bad_response'],
    ['html', 'bad_response'],
    ['wrong_shape', 'bad_response'],
    ['truncated', 'bad_response'],
    ['reset', 'unavailable'],
  ] as const)('maps a %s answer to %s', async (type, kind) => {
    emu.setBehaviour('bandwidth', { fault: { type } });
    expect((await failure(bandwidth.search(query({ areaCode: '415' }), ctx()))).kind).toBe(kind);
  });

  it('maps an oversized body to bad_response', async () => {
    emu.setBehaviour('bandwidth', { fault: { type: 'oversized', bytes: 2 * 1024 * 1024 } });
    expect((await failure(bandwidth.search(query({ areaCode: '415' }), ctx()))).kind).toBe('bad_response');
  });

  it('gives up on a hang when its signal fires, and the emulator sees the connection closed', async () => {
    emu.setBehaviour('bandwidth', { fault: { type: 'hang' } });
    const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx(AbortSignal.timeout(200))));
    expect(e.kind).toBe('timeout');
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.openRequests('bandwidth')).toBe(0);
  });

  it('never puts the credentials in an error message, whatever the failure', async () => {
    const faults = [
      { type: 'error', status: 401 }, { type: 'error', status: 403 }, { type: 'error', status: 500 }, { type: 'rate_limit' },
      { type: 'garbage' }, { type: 'html' }, { type: 'wrong_shape' }, { type: 'truncated' }, { type: 'reset' },
    ] as const;
    for (const fault of faults) {
      emu.setBehaviour('bandwidth', { fault });
      const e = await failure(bandwidth.search(query({ areaCode: '415' }), ctx()));
      const text = `${e.message} ${JSON.stringify(e.toLog())}`;
      expect(text).not.toContain(CREDS.password);
      expect(text).not.toContain(CREDS.username);
    }
    emu.reset();
    const bad = createProviderFromEnv(bandwidthProvider, { ...emu.env(), BANDWIDTH_PASSWORD: 'wrong-secret-pw' });
    const e = await failure(bad.search(query({ areaCode: '415' }), ctx()));
    expect(e).toMatchObject({ kind: 'auth_failed', httpStatus: 401 });
    expect(JSON.stringify(e.toLog())).not.toContain('wrong-secret-pw');
  });

  it('maps another account in the path to auth_failed (4014)', async () => {
    const other = createProviderFromEnv(bandwidthProvider, { ...emu.env(), BANDWIDTH_ACCOUNT_ID: '9900999' });
    expect(await failure(other.search(query({ areaCode: '415' }), ctx()))).toMatchObject({ kind: 'auth_failed', httpStatus: 403, providerCode: '4014' });
  });
});

describe('bandwidth emulator: rejects what Bandwidth rejects', () => {
  it('answers 401 with an empty body without or with wrong Basic credentials', async () => {
    for (const headers of [{}, { authorization: `Basic ${Buffer.from(`${CREDS.username}:nope`).toString('base64')}` }, { authorization: 'Bearer x' }]) {
      const res = await raw('areaCode=415', headers);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    }
  });

  it('answers 4010 with the spec\'s own text when no search key is given', async () => {
    for (const qs of ['', 'quantity=5', 'enableTNDetail=true&LCA=false', 'city=RALEIGH']) {
      expect(await xmlError(await raw(qs))).toEqual({
        status: 400,
        code: '4010',
        description: 'One of more required search parameters are null or empty, please refer to the api documentation',
      });
    }
  });

  it.each([
    ['areaCode=115', '4000'],
    ['areaCode=41', '4000'],
    ['areaCode=4155', '4000'],
    ['npaNxx=41555', '4002'],
    ['npaNxxx=41555', '4002'],
    ['state=California', '4006'],
    ['rateCenter=SNFC%20CNTRL', '4010'],
    ['zip=123', '4007'],
    ['lata=123456', '4008'],
    ['tollFreeWildCardPattern=9**', '4004'],
    ['tollFreeWildCardPattern=8*0', '4004'],
    ['tollFreeVanity=AB', '4003'],
    ['tollFreeWildCardPattern=8**&areaCode=415', '4010'],
    ['areaCode=415&quantity=0', '4010'],
    ['areaCode=415&quantity=5001', '4010'],
    ['areaCode=415&LCA=no', '4010'],
    ['areaCode=415&orderBy=price', '4020'],
    ['areaCode=415&protected=SOME', '4022'],
  ])('answers %s with error %s', async (qs, code) => {
    expect(await xmlError(await raw(qs))).toMatchObject({ status: 400, code });
  });

  it('defaults quantity to 5000: without it, every matching number comes back', async () => {
    const body = await (await raw('areaCode=415&LCA=false')).text();
    expect(Number(/<ResultCount>(\d+)<\/ResultCount>/.exec(body)?.[1])).toBe(local415().length);
    expect(local415().length).toBeGreaterThan(10);
    expect(body).toContain('<TelephoneNumberList>');
    expect(body).not.toContain('<TelephoneNumberDetailList>');
  });

  it('searches by state, city and rate center, and by toll-free vanity', async () => {
    const byState = await (await raw('state=IL&quantity=3&enableTNDetail=true')).text();
    expect(byState.match(/<State>IL<\/State>/g)).toHaveLength(3);
    const byCity = await (await raw('state=WA&city=SEATTLE&quantity=2&enableTNDetail=true')).text();
    expect(byCity.match(/<City>SEATTLE<\/City>/g)).toHaveLength(2);
    const byRateCenter = await (await raw('state=TX&rateCenter=AUSTIN&LCA=false&quantity=2')).text();
    expect(byRateCenter.match(/<TelephoneNumber>512\d{7}<\/TelephoneNumber>/g)).toHaveLength(2);
    const vanityNumber = emu.inventory('bandwidth').find((n) => n.type === 'toll_free')!;
    const vanity = await (await raw(`tollFreeVanity=${vanityNumber.national.slice(3)}`)).text();
    expect(vanity).toContain(`<TelephoneNumber>${vanityNumber.national}</TelephoneNumber>`);
  });

  it('answers XML with the right content type', async () => {
    const res = await raw('areaCode=415&LCA=false&quantity=2');
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(await res.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?><SearchResult><ResultCount>2<\/ResultCount>/);
  });
});
