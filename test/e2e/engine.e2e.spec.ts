import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { contractValidator } from '../support/contract';
import { replay as replayRequest } from '../support/spec-checks';
import { search, startStack, type Stack } from '../support/stack';

const validateOk = contractValidator('AvailableNumbersResponse');
const validateError = contractValidator('ErrorResponse');

const ENGINE_CARRIERS = ['telnyx', 'twilio', 'signalwire'];
let stack: Stack;
beforeAll(async () => {
  // Three carriers with known quirks; the merge across all seven is in carriers.e2e.spec.ts.
  stack = await startStack({ PROVIDER_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '3000' }, ENGINE_CARRIERS);
});
afterAll(() => stack.close());
beforeEach(() => stack.emu.reset());

const held = (carrier: string, pred: (n: { country: string; type: string; areaCode: string }) => boolean) =>
  new Set(stack.emu.inventory(carrier).filter(pred).map((n) => n.e164));

describe('merge across carriers', () => {
  it('returns exact, unique, contract-shaped numbers from every carrier, de-duplicated and interleaved', async () => {
    const r = await search(stack.app, 'countryCode=US&areaCode=415&limit=50');
    expect(r.status).toBe(200);
    expect(validateOk(r.body)).toEqual([]);
    expect(r.headers.get('x-provider-errors')).toBeNull();
    const numbers: { phoneNumber: string; locality?: string; administrativeArea?: string; phoneNumberType: string }[] = r.body.numbers;
    expect(numbers).toHaveLength(50);
    expect(new Set(numbers.map((n) => n.phoneNumber)).size).toBe(50);
    const pred = (n: { country: string; type: string; areaCode: string }) => n.country === 'US' && n.type === 'local' && n.areaCode === '415';
    const telnyx = held('telnyx', pred);
    const twilio = held('twilio', pred);
    const signalwire = held('signalwire', pred);
    for (const n of numbers) {
      expect(telnyx.has(n.phoneNumber) || twilio.has(n.phoneNumber) || signalwire.has(n.phoneNumber)).toBe(true);
      expect(n.phoneNumber.startsWith('+1415')).toBe(true);
      expect(n.phoneNumberType).toBe('local');
    }
    // Interleaved: the first three come from the three carriers in priority order.
    expect(telnyx.has(numbers[0].phoneNumber)).toBe(true);
    expect(twilio.has(numbers[1].phoneNumber)).toBe(true);
    expect(signalwire.has(numbers[2].phoneNumber)).toBe(true);
    // Overlap exists in the emulated world, so de-duplication really happened.
    expect([...telnyx].some((x) => twilio.has(x))).toBe(true);
  });

  it('lets the highest-priority carrier win a duplicate and fills what it lacks from the others', async () => {
    const pred = (n: { country: string; type: string; areaCode: string }) => n.country === 'US' && n.type === 'local' && n.areaCode === '628';
    const telnyx = held('telnyx', pred);
    // 628 is an overlay that the geocoding data names by its state only: Telnyx's entries (a rate-centre code
    // and the state) carry no locality, so where Telnyx wins, the merge fills Twilio's.
    const r = await search(stack.app, 'countryCode=US&areaCode=628&limit=50');
    // What Twilio really answered (it caps its answers at 30 numbers), replayed from the emulator's log.
    const [asked] = stack.emu.requests('twilio');
    const replay = await replayRequest(stack.emu, 'twilio', asked);
    const twilio = new Set(((await replay.json()) as { available_phone_numbers: { phone_number: string }[] }).available_phone_numbers.map((n) => n.phone_number));
    const shared = r.body.numbers.filter((n: { phoneNumber: string }) => telnyx.has(n.phoneNumber) && twilio.has(n.phoneNumber));
    const onlyTelnyx = r.body.numbers.filter((n: { phoneNumber: string }) => telnyx.has(n.phoneNumber) && !twilio.has(n.phoneNumber));
    expect(shared.length).toBeGreaterThan(0);
    expect(onlyTelnyx.length).toBeGreaterThan(0);
    for (const n of shared) expect(n).toMatchObject({ locality: 'San Francisco', administrativeArea: 'CA' });
    // No place better than a wrong one: the state is known, the town is not.
    for (const n of onlyTelnyx) {
      expect(n).not.toHaveProperty('locality');
      expect(n.administrativeArea).toBe('CA');
    }
    expect(r.text).not.toContain('SNFC');
  });

  it('shows the place a person reads, never a rate-centre code, whichever carrier wins the duplicate', async () => {
    const pred = (n: { country: string; type: string; areaCode: string }) => n.country === 'US' && n.type === 'local' && n.areaCode === '415';
    const telnyx = held('telnyx', pred);
    const twilio = held('twilio', pred);
    const signalwire = held('signalwire', pred);
    const byTelnyx = await search(stack.app, 'countryCode=US&areaCode=415&limit=50');
    const stack2 = await startStack({ PROVIDER_PRIORITY: 'signalwire,twilio' }, ENGINE_CARRIERS);
    try {
      const bySignalWire = await search(stack2.app, 'countryCode=US&areaCode=415&limit=50');
      for (const r of [byTelnyx, bySignalWire]) {
        expect(r.body.numbers).toHaveLength(50);
        expect(r.text).not.toContain('SNFC CNTRL');
        // Telnyx gives only its rate centre, SignalWire no locality at all, Twilio "San Francisco": every number
        // reads the same, derived from the number where the winner had no place name.
        for (const n of r.body.numbers) expect(n).toMatchObject({ locality: 'San Francisco', administrativeArea: 'CA' });
      }
      const sharedByTelnyx = byTelnyx.body.numbers.filter((n: { phoneNumber: string }) => telnyx.has(n.phoneNumber) && twilio.has(n.phoneNumber));
      const onlySw = bySignalWire.body.numbers.filter((n: { phoneNumber: string }) => signalwire.has(n.phoneNumber) && !twilio.has(n.phoneNumber) && !telnyx.has(n.phoneNumber));
      expect(sharedByTelnyx.length).toBeGreaterThan(0);
      expect(onlySw.length).toBeGreaterThan(0);
    } finally {
      await stack2.close();
    }
  });

  it('derives the place from the number for carriers that give none, in every country the data covers', async () => {
    const gb = await search(stack.app, 'countryCode=GB&areaCode=161&limit=10');
    expect(gb.body.numbers.length).toBeGreaterThan(0);
    for (const n of gb.body.numbers) expect(n.locality).toBe('Manchester');
    // Mobile numbers have no place in the data: none is made up.
    const mobile = await search(stack.app, 'countryCode=GB&phoneNumberType=mobile&limit=10');
    expect(mobile.body.numbers.length).toBeGreaterThan(0);
    for (const n of mobile.body.numbers) {
      expect(n).not.toHaveProperty('locality');
      expect(n).not.toHaveProperty('administrativeArea');
    }
  });

  it('honours limit after de-duplication and is deterministic byte for byte', async () => {
    const a = await search(stack.app, 'countryCode=US&areaCode=212&limit=7');
    const b = await search(stack.app, 'countryCode=us&areaCode=212&limit=7');
    expect(a.body.numbers).toHaveLength(7);
    expect(b.text).toBe(a.text);
    expect(a.text).not.toContain(a.headers.get('x-tracking-id'));
  });
});

describe('exact filters', () => {
  it('drops numbers lacking a requested feature even when a carrier ignores the filter', async () => {
    stack.emu.setBehaviour('twilio', { options: { ignoreCapabilityFilters: true } });
    const r = await search(stack.app, 'countryCode=US&areaCode=206&features=mms,sms&limit=50');
    expect(r.status).toBe(200);
    expect(r.body.numbers.length).toBeGreaterThan(0);
    for (const n of r.body.numbers) expect(n.features).toEqual(expect.arrayContaining(['mms', 'sms']));
    // Twilio ignored the filter and sent numbers without mms: the engine dropped them and said so in the log.
    expect(r.headers.get('x-provider-errors')).toBeNull();
    const id = r.headers.get('x-tracking-id');
    const filtered = stack.app.logs.find((l) => l.trackingId === id && l.provider === 'twilio' && typeof l.filtered === 'number');
    expect(filtered).toMatchObject({ rejected: { missing_feature: expect.any(Number) } });
  });

  it('drops best-effort numbers from other area codes', async () => {
    stack.emu.setBehaviour('telnyx', { options: { bestEffort: true, ignoreBestEffortFalse: true } });
    const r = await search(stack.app, 'countryCode=US&areaCode=303&limit=50');
    for (const n of r.body.numbers) expect(n.phoneNumber.startsWith('+1303')).toBe(true);
  });

  it('returns only numbers of the requested country and type', async () => {
    for (const [qs, country, type] of [
      ['countryCode=CA&limit=30', 'CA', 'FIXED_LINE_OR_MOBILE'],
      ['countryCode=GB&phoneNumberType=mobile&limit=30', 'GB', 'MOBILE'],
      ['countryCode=US&phoneNumberType=toll_free&limit=30', 'US', 'TOLL_FREE'],
    ]) {
      const r = await search(stack.app, qs);
      expect(r.body.numbers.length).toBeGreaterThan(0);
      for (const n of r.body.numbers) {
        const parsed = parsePhoneNumberFromString(n.phoneNumber)!;
        expect({ qs, country: parsed.country, type: parsed.getType() }).toEqual({ qs, country, type });
      }
    }
  });

  it('answers 200 with no numbers when no enabled carrier can serve the search', async () => {
    const only = await startStack({}, ['signalwire']);
    try {
      // SignalWire has no National resource.
      const r = await search(only.app, 'countryCode=GB&phoneNumberType=national');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ numbers: [] });
      expect(only.emu.requests('signalwire')).toHaveLength(0);
    } finally {
      await only.close();
    }
  });
});

describe('partial and total failure', () => {
  const faults = [
    [{ type: 'error', status: 401 }, 'auth_failed'],
    [{ type: 'error', status: 503 }, 'unavailable'],
    [{ type: 'rate_limit', retryAfterSeconds: 30 }, 'rate_limited'],
    [{ type: 'garbage' }, 'bad_response'],
    [{ type: 'html' }, 'bad_response'],
    [{ type: 'truncated' }, 'bad_response'],
    [{ type: 'reset' }, 'unavailable'],
    [{ type: 'oversized', bytes: 2_000_000 }, 'bad_response'],
    [{ type: 'hang' }, 'timeout'],
  ] as const;

  it.each(faults)('one carrier failing with %o: 200 with the others, X-Provider-Errors names it', async (fault, kind) => {
    stack.emu.setBehaviour('twilio', { fault });
    const r = await search(stack.app, 'countryCode=US&areaCode=415&limit=20');
    expect(r.status).toBe(200);
    expect(r.body.numbers).toHaveLength(20);
    expect(r.headers.get('x-provider-errors')).toBe(`twilio=${kind}`);
    const twilio = new Set(stack.emu.inventory('twilio').map((n) => n.e164));
    const telnyx = new Set(stack.emu.inventory('telnyx').map((n) => n.e164));
    const sw = new Set(stack.emu.inventory('signalwire').map((n) => n.e164));
    for (const n of r.body.numbers) expect(telnyx.has(n.phoneNumber) || sw.has(n.phoneNumber)).toBe(true);
    expect(twilio.size).toBeGreaterThan(0);
  });

  it('lists several failures in priority order', async () => {
    stack.emu.setBehaviour('telnyx', { fault: { type: 'rate_limit', retryAfterSeconds: 30 } });
    stack.emu.setBehaviour('signalwire', { fault: { type: 'error', status: 500 } });
    const r = await search(stack.app, 'countryCode=US&limit=5');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-provider-errors')).toBe('telnyx=rate_limited, signalwire=unavailable');
  });

  it('answers 502 provider_error when every carrier fails, naming the first and listing all', async () => {
    stack.emu.setBehaviour('telnyx', { fault: { type: 'error', status: 401 } });
    stack.emu.setBehaviour('twilio', { fault: { type: 'rate_limit', retryAfterSeconds: 30 } });
    stack.emu.setBehaviour('signalwire', { fault: { type: 'error', status: 500 } });
    const r = await search(stack.app, 'countryCode=US&areaCode=415');
    expect(r.status).toBe(502);
    expect(validateError(r.body)).toEqual([]);
    expect(r.body).toEqual({
      trackingId: r.headers.get('x-tracking-id'),
      error: {
        code: 'provider_error',
        message: expect.stringContaining('Authentication failed'),
        fix: expect.stringContaining('TELNYX_API_KEY'),
        provider: 'telnyx',
        providerCode: '10009',
        providers: [
          { provider: 'telnyx', code: 'auth_failed', providerCode: '10009', message: expect.any(String) },
          { provider: 'twilio', code: 'rate_limited', providerCode: '20429', message: 'Too Many Requests' },
          { provider: 'signalwire', code: 'unavailable', providerCode: '20500', message: 'Internal Server Error' },
        ],
      },
    });
    expect(r.text).not.toContain(stack.emu.env().TELNYX_API_KEY);
    await new Promise((res) => setTimeout(res, 30));
    const warnings = stack.app.logs.filter((l) => l.trackingId === r.headers.get('x-tracking-id') && l.level === 'warn');
    expect(warnings.map((w) => w.provider).sort()).toEqual(['signalwire', 'telnyx', 'twilio']);
    expect(warnings.find((w) => w.provider === 'telnyx')).toMatchObject({ providerStatus: 401, providerCode: '10009' });
  });

  it('gives a retry hint when every failure is transient', async () => {
    for (const c of ['telnyx', 'twilio', 'signalwire']) stack.emu.setBehaviour(c, { fault: { type: 'rate_limit', retryAfterSeconds: 30 } });
    const r = await search(stack.app, 'countryCode=US');
    expect(r.status).toBe(502);
    expect(r.body.error.fix).toMatch(/retry after 30 seconds/);
    expect(r.headers.get('retry-after')).toBe('30');
  });
});

describe('deadlines', () => {
  it('answers within the provider budget when a carrier is slower, and closes the slow call', async () => {
    stack.emu.setBehaviour('twilio', { latencyMs: 10_000 });
    const r = await search(stack.app, 'countryCode=US&areaCode=415&limit=10');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-provider-errors')).toBe('twilio=timeout');
    // Budget 1.5 s; generous margin for a loaded CI machine, far below the carrier's 10 s.
    expect(r.ms).toBeLessThan(5000);
    await new Promise((res) => setTimeout(res, 50));
    expect(stack.emu.openRequests('twilio')).toBe(0);
  });

  it('answers 502 within the deadline when every carrier hangs', async () => {
    for (const c of ['telnyx', 'twilio', 'signalwire']) stack.emu.setBehaviour(c, { fault: { type: 'hang' } });
    const r = await search(stack.app, 'countryCode=US');
    expect(r.status).toBe(502);
    expect(r.body.error.providers.map((p: { code: string }) => p.code)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(r.ms).toBeLessThan(5000);
  });
});
