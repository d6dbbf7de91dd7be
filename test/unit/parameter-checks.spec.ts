import { toSearchQuery } from '../../src/numbers/dto/to-search-query';
import {
  checkAreaCode,
  checkCountryCode,
  checkFeatures,
  checkLimit,
  checkPhoneNumberType,
} from '../../src/numbers/validation/parameter-checks';
import { suggestParameter } from '../../src/numbers/validation/suggest';

describe('parameter checks', () => {
  it('countryCode: required, two letters, assigned, case-insensitive', () => {
    expect(checkCountryCode('us')).toBeUndefined();
    expect(checkCountryCode('Gb')).toBeUndefined();
    expect(checkCountryCode(undefined)?.message).toMatch(/required/);
    expect(checkCountryCode('ZZ')?.message).toMatch(/not an assigned/);
    expect(checkCountryCode('deu')?.fix).toMatch(/countryCode=DE/);
    expect(checkCountryCode(['US', 'CA'])?.message).toMatch(/sent 2 times/);
  });

  it('features: known items only, no empty items, whitespace and case tolerated', () => {
    expect(checkFeatures(' SMS , voice,sms')).toBeUndefined();
    expect(checkFeatures('sms,')?.message).toMatch(/empty item/);
    expect(checkFeatures('data')?.message).toMatch(/unknown value "data"/);
    expect(checkFeatures('smss')?.fix).toMatch(/Did you mean sms\?/);
  });

  it('areaCode: 1 to 6 digits', () => {
    expect(checkAreaCode('415')).toBeUndefined();
    expect(checkAreaCode('1')).toBeUndefined();
    expect(checkAreaCode('415-')?.fix).toMatch(/areaCode=415/);
    expect(checkAreaCode('1234567')).toBeDefined();
    expect(checkAreaCode('４１５')).toBeDefined();
  });

  it('phoneNumberType: the four types', () => {
    for (const t of ['local', 'toll_free', 'mobile', 'national']) expect(checkPhoneNumberType(t)).toBeUndefined();
    expect(checkPhoneNumberType('tollfree')?.fix).toMatch(/toll_free/);
    expect(checkPhoneNumberType('fixed')).toBeDefined();
  });

  it('limit: whole numbers 1-50, rejected not clamped', () => {
    expect(checkLimit('1')).toBeUndefined();
    expect(checkLimit('50')).toBeUndefined();
    for (const bad of ['abc', '0', '51', '1.5', '', '1e1', '0x10', ' ']) expect({ bad, problem: checkLimit(bad) }).toEqual({ bad, problem: expect.anything() });
  });

  it('suggests the parameter that was meant', () => {
    expect(suggestParameter('area_code', ['countryCode', 'areaCode'])).toBe('areaCode');
    expect(suggestParameter('COUNTRYCODE', ['countryCode'])).toBe('countryCode');
    expect(suggestParameter('countrycod', ['countryCode'])).toBe('countryCode');
    expect(suggestParameter('capabilities', ['features'])).toBe('features');
    expect(suggestParameter('zzzzzz', ['countryCode', 'limit'])).toBeUndefined();
  });
});

describe('toSearchQuery', () => {
  it('normalises case, order, duplicates and defaults', () => {
    expect(toSearchQuery({ countryCode: 'us', features: 'Voice, SMS ,sms' })).toEqual({
      countryCode: 'US',
      areaCode: undefined,
      features: ['sms', 'voice'],
      phoneNumberType: 'local',
      limit: 10,
    });
    expect(toSearchQuery({ countryCode: 'GB', areaCode: '20', phoneNumberType: 'MOBILE', limit: '7' })).toEqual({
      countryCode: 'GB',
      areaCode: '20',
      features: [],
      phoneNumberType: 'mobile',
      limit: 7,
    });
  });
});
