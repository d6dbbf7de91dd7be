import fc from 'fast-check';
import { toSearchQuery } from '../../src/numbers/dto/to-search-query';
import { COUNTRIES_WITHOUT_NUMBERING_PLAN, SEARCHABLE_COUNTRY_CODES } from '../../src/numbers/validation/country-codes';
import { PARAMETER_PATTERNS } from '../../src/numbers/validation/parameter-patterns';
import {
  checkAreaCode,
  checkCountryCode,
  checkFeatures,
  checkLimit,
  checkPhoneNumberType,
  PARAMETER_CHECKS,
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

  it('countryCode: taken as sent, and refused with the reason for territories without a numbering plan', () => {
    expect(checkCountryCode(' US')?.fix).toMatch(/^Send countryCode=US; .*\+ in a query string is a space/);
    expect(checkCountryCode('us\t')?.fix).toMatch(/countryCode=US/);
    expect(COUNTRIES_WITHOUT_NUMBERING_PLAN).toEqual(['AQ', 'BV', 'GS', 'HM', 'PN', 'TF', 'UM']);
    for (const code of COUNTRIES_WITHOUT_NUMBERING_PLAN) {
      const problem = checkCountryCode(code.toLowerCase());
      expect(problem?.message).toMatch(new RegExp(`^countryCode ${code} \\(.+\\) cannot be searched: it has no telephone numbering plan`));
      expect(problem?.fix).toMatch(/No carrier sells numbers for/);
    }
    expect(checkCountryCode('XK')).toBeUndefined();
  });

  it('features: known items only, no empty items, no spaces, any case', () => {
    expect(checkFeatures('SMS,voice,sms')).toBeUndefined();
    expect(checkFeatures(' SMS , voice,sms')?.fix).toMatch(/^Send features=sms,voice,sms;/);
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

  it('phoneNumberType: the four types, exactly as written', () => {
    for (const t of ['local', 'toll_free', 'mobile', 'national']) expect(checkPhoneNumberType(t)).toBeUndefined();
    expect(checkPhoneNumberType('tollfree')?.fix).toMatch(/toll_free/);
    expect(checkPhoneNumberType('Mobile')?.fix).toBe('Send phoneNumberType=mobile.');
    expect(checkPhoneNumberType(' local')?.fix).toBe('Send phoneNumberType=local.');
    expect(checkPhoneNumberType('fixed')).toBeDefined();
  });

  it('limit: whole numbers 1-50 in plain digits, rejected not clamped', () => {
    expect(checkLimit('1')).toBeUndefined();
    expect(checkLimit('50')).toBeUndefined();
    for (const bad of ['abc', '0', '51', '1.5', '', '1e1', '0x10', ' ', '00', '-0']) expect({ bad, problem: checkLimit(bad) }).toEqual({ bad, problem: expect.anything() });
    for (const [loose, fix] of [[' 5', 'limit=5'], ['+5', 'limit=5'], ['5 ', 'limit=5'], ['05', 'limit=5'], ['007', 'limit=7']]) {
      expect({ loose, fix: checkLimit(loose)?.fix }).toEqual({ loose, fix: expect.stringContaining(`Send ${fix};`) });
    }
    expect(checkLimit('099')?.message).toMatch(/at most 50/);
  });

  it('accepts a value exactly when it matches the pattern served in /openapi.json', () => {
    const patterns = PARAMETER_PATTERNS as Record<string, string>;
    for (const [name, check] of Object.entries(PARAMETER_CHECKS)) {
      const pattern = new RegExp(patterns[name]);
      const near = fc.stringMatching(pattern).chain((v) =>
        fc.constantFrom(v, ` ${v}`, `${v} `, `+${v}`, `0${v}`, v.toUpperCase(), v.toLowerCase(), `${v},${v}`, `${v}x`, v.slice(1)),
      );
      fc.assert(
        fc.property(fc.oneof(near, fc.string({ unit: 'grapheme', maxLength: 12 })), (value) => {
          const accepted = check(value) === undefined;
          if (accepted !== pattern.test(value)) throw new Error(`${name}=${JSON.stringify(value)}: check says ${accepted}, pattern says ${!accepted}`);
          if (!accepted && !check(value)?.fix) throw new Error(`${name}=${JSON.stringify(value)} refused without a fix`);
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('countryCode pattern: exactly the searchable codes, in any case', () => {
    const pattern = new RegExp(PARAMETER_PATTERNS.countryCode);
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const accepted = [...letters].flatMap((a) => [...letters].map((b) => a + b)).filter((code) => {
      const forms = [code, code.toLowerCase(), code[0] + code[1].toLowerCase(), code[0].toLowerCase() + code[1]];
      const verdicts = new Set(forms.map((f) => pattern.test(f)));
      expect({ code, consistent: verdicts.size }).toEqual({ code, consistent: 1 });
      return pattern.test(code);
    });
    expect(accepted).toEqual([...SEARCHABLE_COUNTRY_CODES]);
    expect(accepted).toHaveLength(243);
  });

  it('suggests the parameter that was meant', () => {
    expect(suggestParameter('area_code', ['countryCode', 'areaCode'])).toBe('areaCode');
    expect(suggestParameter('COUNTRYCODE', ['countryCode'])).toBe('countryCode');
    expect(suggestParameter('countrycod', ['countryCode'])).toBe('countryCode');
    expect(suggestParameter('capabilities', ['features'])).toBe('features');
    expect(suggestParameter('zzzzzz', ['countryCode', 'limit'])).toBeUndefined();
    // Names every object has are not aliases (Object.prototype.constructor is not a suggestion).
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect({ name, guess: suggestParameter(name, ['countryCode', 'limit']) }).toEqual({ name, guess: undefined });
    // An alias of another endpoint's parameter is not suggested where that parameter does not exist.
    expect(suggestParameter('area', ['status', 'limit', 'cursor'])).toBeUndefined();
  });
});

describe('toSearchQuery', () => {
  it('normalises case, order, duplicates and defaults', () => {
    expect(toSearchQuery({ countryCode: 'us', features: 'Voice,SMS,sms' })).toEqual({
      countryCode: 'US',
      areaCode: undefined,
      features: ['sms', 'voice'],
      phoneNumberType: 'local',
      limit: 10,
    });
    expect(toSearchQuery({ countryCode: 'gB', areaCode: '20', phoneNumberType: 'mobile', limit: '7' })).toEqual({
      countryCode: 'GB',
      areaCode: '20',
      features: [],
      phoneNumberType: 'mobile',
      limit: 7,
    });
  });
});
