import fc from 'fast-check';
import { canonicalQuery } from '../../src/domain/canonical-query';
import type { NumberProvider, ProviderNumber } from '../../src/domain/number-provider';
import { FEATURES, NUMBER_TYPES, type Feature, type SearchQuery } from '../../src/domain/search-query';
import { filterExact } from '../../src/numbers/engine/exact-filter';
import { MAX_CARRIER_TEXT, reportTrim, trimAnswer, usableAnswersOf, type TrimReport } from '../../src/numbers/engine/usable-answers';

const q = (partial: Partial<SearchQuery> = {}): SearchQuery => ({ countryCode: 'US', features: [], phoneNumberType: 'local', limit: 10, ...partial });

/** Distinct San Francisco numbers, every feature: what a flooding carrier sends (4 600 of them in about 1 MB). */
const matching = (count: number, from = 0): ProviderNumber[] =>
  Array.from({ length: count }, (_, i) => ({
    phoneNumber: `+1415${200 + Math.floor((from + i) / 10_000)}${String((from + i) % 10_000).padStart(4, '0')}`,
    locality: 'San Francisco',
    administrativeArea: 'CA',
    rateCenter: 'SNFC CNTRL',
    features: [...FEATURES],
  }));

describe('trimAnswer: what a search can use of one carrier answer', () => {
  it('keeps at most the search\'s limit of a flood of matching numbers, judging no more than it needs', () => {
    const flood = matching(4600);
    const { numbers, report } = trimAnswer(q({ areaCode: '415', limit: 50 }), flood);
    expect(numbers).toHaveLength(50);
    expect(numbers.map((n) => n.phoneNumber)).toEqual(flood.slice(0, 50).map((n) => n.phoneNumber));
    expect(report).toEqual({ received: 4600, judged: 50, kept: 50, rejected: {} });
    expect(trimAnswer(q({ limit: 1 }), flood).numbers).toHaveLength(1);
  });

  it('keeps only exact numbers, in the carrier\'s order, each once, and counts the others by reason', () => {
    const [a, b, c] = matching(3);
    const answer = [
      { phoneNumber: '+14165550123', features: ['sms'] }, // Toronto: another country
      a,
      { phoneNumber: '415555', features: [] },
      { ...a, locality: 'elsewhere' }, // the same number again: the first entry stands
      { phoneNumber: '+12125550123', features: ['sms'] }, // another area code
      b,
      { phoneNumber: '+14155550199', features: [] }, // lacks sms
      null,
      c,
    ] as unknown as ProviderNumber[];
    const { numbers, report } = trimAnswer(q({ areaCode: '415', features: ['sms'], limit: 3 }), answer);
    expect(numbers.map((n) => [n.phoneNumber, n.locality])).toEqual([
      [a.phoneNumber, 'San Francisco'],
      [b.phoneNumber, 'San Francisco'],
      [c.phoneNumber, 'San Francisco'],
    ]);
    expect(report).toEqual({
      received: 9,
      judged: 9,
      kept: 3,
      rejected: { wrong_country: 1, malformed: 2, wrong_area_code: 1, missing_feature: 1 },
    });
  });

  it('caps carrier text: a field longer than any place name is dropped, and nothing the carrier added is kept', () => {
    const [n] = matching(1);
    const hostile = { ...n, locality: 'x'.repeat(1_000_000), administrativeArea: ` ${'CA'} `, rateCenter: 'y'.repeat(MAX_CARRIER_TEXT + 1), extra: 'z'.repeat(10_000), features: ['SMS', 'voice', 'sms', ...Array(10_000).fill('emergency')] };
    const { numbers } = trimAnswer(q(), [hostile as unknown as ProviderNumber]);
    expect(numbers).toEqual([{ phoneNumber: n.phoneNumber, administrativeArea: 'CA', features: ['sms', 'voice'] }]);
    const exact = { ...n, locality: 'l'.repeat(MAX_CARRIER_TEXT) };
    expect(trimAnswer(q(), [exact]).numbers[0].locality).toHaveLength(MAX_CARRIER_TEXT);
  });

  it('never throws, whatever the answer holds', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const { numbers, report } = trimAnswer(q(), junk as ProviderNumber[]);
        expect(numbers.length).toBeLessThanOrEqual(10);
        expect(report.kept).toBe(numbers.length);
      }),
    );
  });

  it('serves every search that reads it as the whole answer would have: the exact filter finds the same numbers', () => {
    const query = fc.record({
      countryCode: fc.constantFrom('US', 'CA', 'GB'),
      phoneNumberType: fc.constantFrom(...NUMBER_TYPES),
      areaCode: fc.option(fc.constantFrom('415', '212', '4', '800'), { nil: undefined }),
      features: fc.subarray([...FEATURES]).map((f) => f as Feature[]),
      limit: fc.integer({ min: 1, max: 50 }),
    });
    const number = fc.record({
      phoneNumber: fc.constantFrom('+14155550123', '+14155550124', '+12125550123', '+14165550123', '+18005550199', '+442071234567', '+447700900123', 'junk'),
      features: fc.subarray([...FEATURES]),
      locality: fc.option(fc.constantFrom('San Francisco', 'New York'), { nil: undefined }),
    });
    fc.assert(
      fc.property(query, fc.array(number, { maxLength: 80 }), (search, answer) => {
        const whole = filterExact(search, answer).kept;
        const seen = new Set<string>();
        const expected = whole.filter((n) => !seen.has(n.phoneNumber) && seen.add(n.phoneNumber)).slice(0, search.limit);
        expect(filterExact(search, trimAnswer(search, answer).numbers).kept).toEqual(expected);
      }),
    );
  });

  it('is keyed by a canonical query that holds every filter it applies, and the limit', () => {
    const base = q({ areaCode: '415', features: ['sms'] });
    const variants: SearchQuery[] = [
      { ...base, countryCode: 'CA' },
      { ...base, phoneNumberType: 'mobile' },
      { ...base, areaCode: '212' },
      { ...base, areaCode: undefined },
      { ...base, features: ['sms', 'voice'] },
      { ...base, features: [] },
      { ...base, limit: 11 },
    ];
    for (const v of variants) expect(canonicalQuery(v)).not.toBe(canonicalQuery(base));
  });
});

describe('usableAnswersOf: the carrier every answer of which is trimmed before it is cached', () => {
  it('hands on the trimmed answer and reports what the carrier sent', async () => {
    const reports: TrimReport[] = [];
    const carrier: NumberProvider = { name: 'flooder', supports: () => true, search: async () => [{ phoneNumber: 'bad', features: [] }, ...matching(4600)] };
    const usable = usableAnswersOf(carrier, (r) => reports.push(r));
    const numbers = await usable.search(q({ limit: 5 }), { signal: new AbortController().signal, trackingId: 't', deadlineAt: Infinity });
    expect(numbers).toHaveLength(5);
    expect(reports).toEqual([{ provider: 'flooder', received: 4601, judged: 6, kept: 5, rejected: { malformed: 1 } }]);
    expect(usable.name).toBe('flooder');
    expect(usable.supports(q())).toBe(true);
  });

  it('counts the inexact numbers once per carrier answer, by provider and reason', () => {
    const counted: [string, string, number][] = [];
    const logged: string[] = [];
    const sinks = { filteredNumbers: { inc: (l: { provider: string; reason: string }, n: number) => counted.push([l.provider, l.reason, n]) }, info: (_: object, m: string) => logged.push(m) };
    reportTrim({ provider: 'telnyx', received: 12, judged: 12, kept: 9, rejected: { wrong_area_code: 2, missing_feature: 1 } }, sinks);
    reportTrim({ provider: 'telnyx', received: 3, judged: 3, kept: 3, rejected: {} }, sinks);
    expect(counted).toEqual([
      ['telnyx', 'wrong_area_code', 2],
      ['telnyx', 'missing_feature', 1],
    ]);
    expect(logged).toEqual(['kept 9 of 12 numbers from telnyx (3 inexact)']);
  });
});
