import { createProviderFromEnv, ctx, query } from '../support/provider-under-test';
import { search, startStack, type SearchResult, type Stack } from '../support/stack';
import { PROVIDER_DEFINITIONS, PROVIDER_NAMES } from '../../src/providers/registry';
import { ProviderError } from '../../src/domain/provider-error';
import { NUMBER_TYPES } from '../../src/domain/search-query';
import { contractValidator } from '../support/contract';

/**
 * Every ISO 3166-1 alpha-2 code, with every number type, against all seven carriers' emulators: a 200
 * (possibly empty), or a 400 whose fix says why the country cannot be searched. Never a 500, never a
 * carrier answering 5xx or an adapter failing on an unusual country.
 */
const ISO_3166_1 = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG ' +
  'CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM ' +
  'GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ ' +
  'OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC ' +
  'TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** Territories with no telephone numbering plan of their own. */
const NO_NUMBERING_PLAN = ['AQ', 'BV', 'GS', 'HM', 'PN', 'TF', 'UM'];

const validateOk = contractValidator('AvailableNumbersResponse');
const validateError = contractValidator('ErrorResponse');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ PROVIDER_TIMEOUT_MS: '3000', REQUEST_TIMEOUT_MS: '5000' });
  // A thousand searches in seconds would meet Plivo's request rate limit, which is not what this is about.
  stack.emu.setBehaviour('plivo', { options: { rateLimit: { requests: 1_000_000, windowMs: 1000 } } });
});
afterAll(() => stack.close());

/** Runs the tasks `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await task(items[next++]);
  }));
}

describe('every country code', () => {
  it('is the list of 249 ISO codes', () => {
    expect(ISO_3166_1).toHaveLength(249);
    expect(new Set(ISO_3166_1).size).toBe(249);
  });

  it('answers 200, or a 400 saying why the country cannot be searched, for every type and carrier', async () => {
    const searches = [...ISO_3166_1, 'XK'].flatMap((code) => NUMBER_TYPES.map((type) => ({ code, type })));
    const outcomes: { code: string; type: string; result: SearchResult }[] = [];
    await inParallel(searches, 6, async ({ code, type }) => {
      const result = await search(stack.app, `countryCode=${code.toLowerCase()}&phoneNumberType=${type}&limit=5`);
      outcomes.push({ code, type, result });
    });
    const unexpected = outcomes.filter(({ code, result }) => result.status !== (NO_NUMBERING_PLAN.includes(code) ? 400 : 200));
    expect(unexpected.map(({ code, type, result }) => `${code}/${type}: ${result.status} ${result.text.slice(0, 200)}`)).toEqual([]);
    for (const { code, result } of outcomes) {
      if (result.status === 200) {
        expect(validateOk(result.body)).toEqual([]);
        // Every carrier answered: none failed on the country, none was asked something it could not read.
        expect({ code, failed: result.headers.get('x-provider-errors') }).toEqual({ code, failed: null });
      } else {
        expect(validateError(result.body)).toEqual([]);
        expect(result.body.error.message).toContain(`countryCode ${code}`);
        expect(result.body.error.message).toMatch(/no telephone numbering plan/);
        expect(result.body.error.fix).toMatch(/No carrier sells numbers for .+ no search for [A-Z]{2} can find any/);
      }
    }
    // Countries the emulated world stocks do return numbers.
    const stocked = outcomes.filter((o) => o.result.status === 200 && o.result.body.numbers.length > 0).map((o) => o.code);
    expect(new Set(stocked)).toEqual(new Set(['US', 'CA', 'GB', 'DE', 'AU']));
    for (const carrier of PROVIDER_NAMES) {
      const failed = stack.emu.requests(carrier).filter((r) => (r.status ?? 0) >= 500);
      expect({ carrier, failed: failed.length }).toEqual({ carrier, failed: 0 });
    }
    const bugs = stack.app.logs.filter((l) => l.msg === 'unhandled exception' || String(l.msg ?? '').includes('failed unexpectedly'));
    expect(bugs).toEqual([]);
  }, 120_000);

  it('never makes an adapter throw, whatever the country, even one without a numbering plan', async () => {
    const env = stack.emu.env();
    for (const definition of PROVIDER_DEFINITIONS) {
      const adapter = createProviderFromEnv(definition, env);
      for (const countryCode of [...NO_NUMBERING_PLAN, 'XK', 'AX', 'BQ']) {
        for (const phoneNumberType of NUMBER_TYPES) {
          const q = query({ countryCode, phoneNumberType, areaCode: '1' });
          const where = `${definition.name} ${countryCode}/${phoneNumberType}`;
          let supported = false;
          expect(() => (supported = adapter.supports(q))).not.toThrow();
          if (!supported) continue;
          const outcome = await adapter.search(q, ctx()).then((numbers) => numbers, (e: unknown) => e);
          if (outcome instanceof ProviderError) {
            // A carrier may refuse a country it does not serve, but as a typed failure, never a 5xx of its own.
            expect({ where, kind: outcome.kind }).not.toEqual({ where, kind: 'adapter_error' });
          } else {
            expect({ where, array: Array.isArray(outcome) }).toEqual({ where, array: true });
          }
        }
      }
    }
    for (const carrier of PROVIDER_NAMES) {
      expect({ carrier, failed: stack.emu.requests(carrier).filter((r) => (r.status ?? 0) >= 500).length }).toEqual({ carrier, failed: 0 });
    }
  }, 60_000);
});
