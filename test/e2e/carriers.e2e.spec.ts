import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { PROVIDER_DEFINITIONS, PROVIDER_NAMES } from '../../src/providers/registry';
import { contractValidator } from '../support/contract';
import { search, startStack, type Stack } from '../support/stack';

/** One search across all seven carriers: overlapping inventories, priorities, one carrier failing. */
const validateOk = contractValidator('AvailableNumbersResponse');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ PROVIDER_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '3000' });
});
afterAll(() => stack.close());
beforeEach(() => stack.emu.reset());

describe('all seven carriers', () => {
  it('are registered and emulated', () => {
    expect([...PROVIDER_NAMES]).toEqual(['telnyx', 'twilio', 'vonage', 'plivo', 'bandwidth', 'sinch', 'signalwire']);
    expect(stack.emu.carrierNames().sort()).toEqual([...PROVIDER_NAMES].sort());
  });

  it('are all asked for a US local search with an area code, and give one exact, de-duplicated list', async () => {
    const r = await search(stack.app, 'countryCode=US&areaCode=415&limit=50');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-provider-errors')).toBeNull();
    expect(validateOk(r.body)).toEqual([]);
    for (const c of PROVIDER_NAMES) expect({ c, asked: stack.emu.requests(c).length > 0 }).toEqual({ c, asked: true });
    const numbers: { phoneNumber: string }[] = r.body.numbers;
    expect(numbers).toHaveLength(50);
    expect(new Set(numbers.map((n) => n.phoneNumber)).size).toBe(50);
    for (const n of numbers) {
      const p = parsePhoneNumberFromString(n.phoneNumber)!;
      expect([p.country, p.nationalNumber.slice(0, 3)]).toEqual(['US', '415']);
    }
    // Each carrier holds a share of one world: the answer contains numbers several carriers hold.
    const holders = (e164: string) => PROVIDER_NAMES.filter((c) => stack.emu.inventory(c).some((n) => n.e164 === e164));
    expect(numbers.filter((n) => holders(n.phoneNumber).length > 1).length).toBeGreaterThan(10);
    // Interleaved in priority order: the first number comes from the top carrier's answer.
    expect(holders(numbers[0].phoneNumber)).toContain('telnyx');
  });

  it('lets a carrier without capability data sit out a search that asks for features, and keeps the answer exact', async () => {
    const r = await search(stack.app, 'countryCode=US&areaCode=415&features=sms,voice&limit=30');
    expect(r.status).toBe(200);
    expect(stack.emu.requests('bandwidth')).toHaveLength(0);
    for (const n of r.body.numbers) expect(n.features).toEqual(expect.arrayContaining(['sms', 'voice']));
  });

  it('answers with the others when one fails, naming it, within the deadline', async () => {
    stack.emu.setBehaviour('vonage', { fault: { type: 'error', status: 503 } });
    stack.emu.setBehaviour('sinch', { latencyMs: 10_000 });
    const r = await search(stack.app, 'countryCode=US&areaCode=212&limit=20');
    expect(r.status).toBe(200);
    expect(r.body.numbers).toHaveLength(20);
    expect(r.headers.get('x-provider-errors')).toBe('vonage=unavailable, sinch=timeout');
    expect(r.ms).toBeLessThan(6000);
  });

  it('puts the priority winner\'s fields first: PROVIDER_PRIORITY reorders the merge', async () => {
    const twilioFirst = await startStack({ PROVIDER_PRIORITY: 'twilio,telnyx' });
    try {
      const r = await search(twilioFirst.app, 'countryCode=US&areaCode=415&limit=50');
      const twilio = new Set(twilioFirst.emu.inventory('twilio').map((n) => n.e164));
      const telnyx = new Set(twilioFirst.emu.inventory('telnyx').map((n) => n.e164));
      expect(twilio.has(r.body.numbers[0].phoneNumber)).toBe(true);
      // A number both hold carries a place a person reads, never Telnyx's rate centre.
      const shared = r.body.numbers.filter((n: { phoneNumber: string }) => twilio.has(n.phoneNumber) && telnyx.has(n.phoneNumber));
      expect(shared.length).toBeGreaterThan(0);
      for (const n of shared) expect(n).toMatchObject({ locality: 'San Francisco', administrativeArea: 'CA' });
      expect(r.text).not.toContain('SNFC');
    } finally {
      await twilioFirst.close();
    }
  });

  it('searches other countries and types with the carriers that serve them', async () => {
    for (const qs of ['countryCode=GB&phoneNumberType=mobile&limit=20', 'countryCode=DE&areaCode=30&limit=20', 'countryCode=AU&phoneNumberType=toll_free&limit=10', 'countryCode=CA&phoneNumberType=toll_free&limit=10']) {
      stack.emu.reset();
      const r = await search(stack.app, qs);
      expect({ qs, status: r.status, errors: r.headers.get('x-provider-errors') }).toEqual({ qs, status: 200, errors: null });
      expect({ qs, some: r.body.numbers.length > 0 }).toEqual({ qs, some: true });
      expect(stack.emu.requests('bandwidth').length).toBe(qs.startsWith('countryCode=CA') ? 1 : 0);
    }
  });

  it('never writes a carrier secret to a log line or an answer, even when every carrier rejects its credentials', async () => {
    for (const c of PROVIDER_NAMES) stack.emu.setBehaviour(c, { fault: { type: 'error', status: 401 } });
    const r = await search(stack.app, 'countryCode=US&areaCode=415');
    expect(r.status).toBe(502);
    const env = stack.emu.env();
    const secrets = PROVIDER_DEFINITIONS.flatMap((d) => d.secretEnv.map((v) => env[v])).filter((v): v is string => Boolean(v));
    expect(secrets.length).toBeGreaterThanOrEqual(7);
    const everything = `${stack.app.rawLogs.join('\n')}\n${r.text}`;
    for (const secret of secrets) expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
    expect(stack.app.logs.some((l) => l.level === 'debug' && typeof l.provider === 'string')).toBe(true);
  });
});
