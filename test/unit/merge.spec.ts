import { mergeAnswers } from '../../src/numbers/engine/merge';
import type { AvailableNumber } from '../../src/domain/search-query';

const n = (phoneNumber: string, extra: Partial<AvailableNumber> = {}): AvailableNumber => ({
  phoneNumber,
  phoneNumberType: 'local',
  features: ['sms', 'voice'],
  ...extra,
});

describe('mergeAnswers', () => {
  it('keeps one entry per number; the highest-priority entry wins and is filled from the others', () => {
    const merged = mergeAnswers(
      [
        { provider: 'telnyx', numbers: [n('+14155550001', { features: ['voice'] })] },
        { provider: 'twilio', numbers: [n('+14155550001', { locality: 'San Francisco', administrativeArea: 'CA', features: ['sms', 'voice'] })] },
      ],
      10,
    );
    expect(merged).toEqual([
      { phoneNumber: '+14155550001', locality: 'San Francisco', administrativeArea: 'CA', phoneNumberType: 'local', features: ['voice'] },
    ]);
  });

  it('interleaves providers in priority order and truncates to the limit after de-duplication', () => {
    const a = { provider: 'a', numbers: [n('+1001'), n('+1002'), n('+1003')] };
    const b = { provider: 'b', numbers: [n('+1001'), n('+2002'), n('+2003')] };
    const c = { provider: 'c', numbers: [n('+3001')] };
    expect(mergeAnswers([a, b, c], 10).map((x) => x.phoneNumber)).toEqual(['+1001', '+3001', '+1002', '+2002', '+1003', '+2003']);
    expect(mergeAnswers([a, b, c], 4).map((x) => x.phoneNumber)).toEqual(['+1001', '+3001', '+1002', '+2002']);
    expect(mergeAnswers([b, a], 3).map((x) => x.phoneNumber)).toEqual(['+1001', '+2002', '+1002']);
  });

  it('fills features from a lower-priority provider when the winner has none', () => {
    const merged = mergeAnswers(
      [
        { provider: 'bandwidth', numbers: [n('+14155550001', { features: [] })] },
        { provider: 'twilio', numbers: [n('+14155550001', { features: ['mms', 'sms'] })] },
      ],
      10,
    );
    expect(merged[0].features).toEqual(['mms', 'sms']);
  });

  it('is deterministic, byte for byte, and does not mutate its input', () => {
    const answers = [
      { provider: 'a', numbers: [n('+1001', { administrativeArea: 'CA' }), n('+1002')] },
      { provider: 'b', numbers: [n('+1002', { locality: 'X' }), n('+1001', { locality: 'Y' })] },
    ];
    const copy = JSON.stringify(answers);
    const first = JSON.stringify(mergeAnswers(answers, 10));
    expect(JSON.stringify(mergeAnswers(answers, 10))).toBe(first);
    expect(JSON.stringify(answers)).toBe(copy);
    expect(first).toBe(
      '[{"phoneNumber":"+1001","locality":"Y","administrativeArea":"CA","phoneNumberType":"local","features":["sms","voice"]},{"phoneNumber":"+1002","locality":"X","phoneNumberType":"local","features":["sms","voice"]}]',
    );
  });

  it('handles no answers and empty answers', () => {
    expect(mergeAnswers([], 10)).toEqual([]);
    expect(mergeAnswers([{ provider: 'a', numbers: [] }], 10)).toEqual([]);
  });
});
