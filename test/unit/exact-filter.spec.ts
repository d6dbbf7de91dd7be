import fc from 'fast-check';
import { filterExact } from '../../src/numbers/engine/exact-filter';
import { ASSIGNED_COUNTRY_CODES } from '../../src/numbers/validation/country-codes';
import { FEATURES, NUMBER_TYPES, type SearchQuery } from '../../src/domain/search-query';
import type { ProviderNumber } from '../../src/domain/number-provider';

/** Adapter output as it may really arrive: carrier feature names, odd casing, missing fields. */
const raw = (items: unknown[]) => items as unknown as ProviderNumber[];

const q = (partial: Partial<SearchQuery> = {}): SearchQuery => ({ countryCode: 'US', features: [], phoneNumberType: 'local', limit: 10, ...partial });

describe('filterExact', () => {
  it('keeps valid numbers of the country and normalises them', () => {
    const { kept, rejected } = filterExact(q(), raw([
      { phoneNumber: '+14155550123', features: ['VOICE', 'sms', 'sms', 'emergency'], locality: '  San  Francisco ', administrativeArea: '' },
    ]));
    expect(rejected).toEqual({});
    expect(kept).toEqual([{ phoneNumber: '+14155550123', phoneNumberType: 'local', features: ['sms', 'voice'], locality: 'San Francisco' }]);
  });

  it('tells +1 countries apart: a Toronto number is not a US number', () => {
    const { kept, rejected } = filterExact(q({ countryCode: 'US' }), raw([
      { phoneNumber: '+14165550123', features: [] },
      { phoneNumber: '+12125550123', features: [] },
      { phoneNumber: '+18765550123', features: [] }, // Jamaica
    ]));
    expect(kept.map((k) => k.phoneNumber)).toEqual(['+12125550123']);
    expect(rejected).toEqual({ wrong_country: 2 });
    expect(filterExact(q({ countryCode: 'CA' }), raw([{ phoneNumber: '+14165550123', features: [] }])).kept).toHaveLength(1);
  });

  it('lets NANP toll-free numbers serve every +1 country', () => {
    const tf = raw([{ phoneNumber: '+18005550199', features: ['voice'] }]);
    expect(filterExact(q({ countryCode: 'CA', phoneNumberType: 'toll_free' }), tf).kept).toHaveLength(1);
    expect(filterExact(q({ countryCode: 'US', phoneNumberType: 'toll_free' }), tf).kept).toHaveLength(1);
    expect(filterExact(q({ countryCode: 'GB', phoneNumberType: 'toll_free' }), tf).rejected).toEqual({ wrong_country: 1 });
    expect(filterExact(q({ countryCode: 'US', phoneNumberType: 'local' }), tf).rejected).toEqual({ wrong_type: 1 });
  });

  it('drops near matches: other area codes, missing features, malformed and invalid numbers, other types', () => {
    const { kept, rejected } = filterExact(q({ areaCode: '415', features: ['sms', 'voice'] }), raw([
      { phoneNumber: '+14155550123', features: ['sms', 'voice'] },
      { phoneNumber: '+16505550123', features: ['sms', 'voice'] },
      { phoneNumber: '+14155550124', features: ['voice'] },
      { phoneNumber: '14155550125', features: ['sms', 'voice'] },
      { phoneNumber: '+1415555012', features: ['sms', 'voice'] },
      { phoneNumber: undefined, features: [] },
    ]));
    expect(kept.map((k) => k.phoneNumber)).toEqual(['+14155550123']);
    expect(rejected).toEqual({ wrong_area_code: 1, missing_feature: 1, malformed: 2, invalid_number: 1 });
  });

  it('checks the type where the numbering plan tells it (GB mobile vs local)', () => {
    const numbers = raw([{ phoneNumber: '+447400123456', features: [] }, { phoneNumber: '+442079460123', features: [] }]);
    expect(filterExact(q({ countryCode: 'GB', phoneNumberType: 'mobile' }), numbers).kept.map((k) => k.phoneNumber)).toEqual(['+447400123456']);
    expect(filterExact(q({ countryCode: 'GB', phoneNumberType: 'local' }), numbers).kept.map((k) => k.phoneNumber)).toEqual(['+442079460123']);
  });

  it('never throws, for any country code and type, even one without a numbering plan', () => {
    const numbers = raw([{ phoneNumber: '+14155550123', features: ['sms'] }, { phoneNumber: '+6723123456', features: [] }, { phoneNumber: '+8701234567', features: [] }]);
    for (const countryCode of [...ASSIGNED_COUNTRY_CODES, 'AC', 'TA', 'ZZ', 'XX', '', 'usa']) {
      for (const phoneNumberType of NUMBER_TYPES) {
        const result = filterExact(q({ countryCode, phoneNumberType }), numbers);
        expect(result.kept.length + Object.values(result.rejected).reduce((a, b) => a + (b ?? 0), 0)).toBe(3);
      }
    }
    // A territory without a numbering plan has no number to keep, not even a NANP toll-free one.
    const antarctica = filterExact(q({ countryCode: 'AQ', phoneNumberType: 'toll_free' }), raw([{ phoneNumber: '+18005550199', features: [] }]));
    expect(antarctica).toEqual({ kept: [], rejected: { wrong_country: 1 } });
  });

  it('never throws on whatever a carrier answer holds: each item is kept, or dropped and counted', () => {
    const item = fc.oneof(
      fc.anything(),
      fc.record({
        phoneNumber: fc.oneof(fc.string(), fc.constantFrom('+14155550123', '+447400123456', '+4930123456'), fc.anything()),
        features: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...FEATURES), fc.anything())), fc.anything()),
        locality: fc.anything(),
        administrativeArea: fc.anything(),
      }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), fc.constantFrom(...ASSIGNED_COUNTRY_CODES), fc.constantFrom(...NUMBER_TYPES), (items, countryCode, phoneNumberType) => {
        const result = filterExact(q({ countryCode, phoneNumberType, features: ['sms'] }), raw(items));
        const dropped = Object.values(result.rejected).reduce((a, b) => a + (b ?? 0), 0);
        expect(result.kept.length + dropped).toBe(items.length);
      }),
      { numRuns: 500 },
    );
    const hostile = {
      get phoneNumber(): string {
        throw new Error('a getter that throws');
      },
    };
    expect(filterExact(q(), raw([hostile, { phoneNumber: '+14155550123', features: [] }]))).toEqual({
      kept: [{ phoneNumber: '+14155550123', phoneNumberType: 'local', features: [] }],
      rejected: { unreadable: 1 },
    });
  });
});
