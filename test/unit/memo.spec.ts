import { Memo, memoBytes } from '../../src/memo/memo';
import { MEMO_BOUNDS, MEMO_SHARES, type MemoName } from '../../src/memo/memo-bounds';
import { DEFAULT_BUDGET_FRACTION, defaultMemoryBudgetBytes, memoryBudgetBytes, setMemoryBudget } from '../../src/memo/memory-budget';
import { estimateBytes } from '../../src/memo/size-estimate';
import type { ProviderNumber } from '../../src/domain/number-provider';

describe('in-process memos', () => {
  it('hold at most their declared bound, dropping the least recently used first', () => {
    const memo = new Memo<number>('searchAnswers');
    for (let i = 0; i <= MEMO_BOUNDS.searchAnswers; i++) memo.set(`k${i}`, i);
    expect(memo.size).toBe(MEMO_BOUNDS.searchAnswers);
    expect(memo.get('k0')).toBeUndefined();
    const small = new Memo<number>('validatedQueries', 2);
    small.set('a', 1);
    small.set('b', 2);
    expect(small.get('a')).toBe(1);
    small.set('c', 3);
    expect([small.get('a'), small.get('b'), small.get('c')]).toEqual([1, undefined, 3]);
  });

  it('can be read without counting as a use, and list their keys least recently used first', () => {
    const memo = new Memo<number>('placeTables', 2);
    memo.set('a', 1);
    memo.set('b', 2);
    expect(memo.peek('a')).toBe(1);
    expect(memo.keys()).toEqual(['a', 'b']);
    memo.set('c', 3);
    expect(memo.keys()).toEqual(['b', 'c']);
    expect(memo.get('b')).toBe(2);
    expect(memo.keys()).toEqual(['c', 'b']);
  });

  it('forget an entry once its expiry passes, and refuse one that is already expired', async () => {
    const memo = new Memo<string>('carrierAnswers');
    expect(memo.set('late', 'x', Date.now() - 1)).toBe(false);
    expect(memo.get('late')).toBeUndefined();
    expect(memo.set('soon', 'y', Date.now() + 50)).toBe(true);
    expect(memo.set('kept', 'z')).toBe(true);
    expect(memo.get('soon')).toBe('y');
    await new Promise((r) => setTimeout(r, 80));
    expect(memo.get('soon')).toBeUndefined();
    expect(memo.get('kept')).toBe('z');
    expect(memo.size).toBe(1);
  });

  it('are declared in one table, each with a positive bound', () => {
    expect(Object.keys(MEMO_BOUNDS).sort()).toEqual(['acceptedSearches', 'carrierAnswers', 'credentials', 'offers', 'placeTables', 'searchAnswers', 'takenNumbers', 'usageWindows', 'validatedQueries']);
    for (const bound of Object.values(MEMO_BOUNDS)) expect(bound).toBeGreaterThan(0);
  });

  it('hold at most their byte bound, dropping the least recently used first, whatever the number of entries', () => {
    const memo = new Memo<string>('searchAnswers', { maxBytes: 100_000 });
    const answer = 'x'.repeat(10_000); // about 20 KB by estimate
    for (let i = 0; i < 50; i++) memo.set(`k${i}`, answer);
    expect(memo.bytes).toBeLessThanOrEqual(100_000);
    expect(memo.size).toBe(4);
    expect(memo.keys()).toEqual(['k46', 'k47', 'k48', 'k49']);
    // A use keeps an entry: the least recently used goes next.
    memo.get('k46');
    memo.set('k50', answer);
    expect(memo.keys()).toEqual(['k48', 'k49', 'k46', 'k50']);
    // Small entries fill the same bytes many times over.
    const small = new Memo<string>('searchAnswers', { maxBytes: 100_000 });
    for (let i = 0; i < 1000; i++) small.set(`k${i}`, 'short');
    expect(small.size).toBeGreaterThan(400);
    expect(small.bytes).toBeLessThanOrEqual(100_000);
  });

  it('refuse a value heavier than their whole byte bound, and keep what they held', () => {
    const memo = new Memo<string>('carrierAnswers', { maxBytes: 10_000 });
    expect(memo.set('small', 'ok')).toBe(true);
    expect(memo.set('huge', 'x'.repeat(10_000))).toBe(false);
    expect(memo.get('huge')).toBeUndefined();
    expect(memo.get('small')).toBe('ok');
  });

  it('weigh a carrier answer by what it holds: thousands of numbers weigh thousands of times one', () => {
    const number = (i: number): ProviderNumber => ({ phoneNumber: `+1415555${String(i).padStart(4, '0')}`, locality: 'San Francisco', administrativeArea: 'CA', features: ['sms', 'voice'] });
    const one = estimateBytes({ at: 1, numbers: [number(0)] });
    const many = estimateBytes({ at: 1, numbers: Array.from({ length: 4600 }, (_, i) => number(i)) });
    expect(many).toBeGreaterThan(4000 * (one - 100));
    // About 200 bytes of heap per number: within a factor of two of what V8 really takes.
    expect(one).toBeGreaterThan(150);
    expect(one).toBeLessThan(600);
    expect(estimateBytes('abcd')).toBe(16 + 8);
  });

  it('use a value weight of their own when given one (place tables know their size)', () => {
    const memo = new Memo<{ bytes: number }>('placeTables', { maxBytes: 5_000_000, sizeOf: (t) => t.bytes });
    memo.set('1', { bytes: 2_400_000 });
    memo.set('61', { bytes: 2_400_000 });
    memo.set('44', { bytes: 300_000 });
    expect(memo.keys()).toEqual(['61', '44']);
  });

  it('share one memory budget by their declared shares, which add up to the whole', () => {
    const names = Object.keys(MEMO_BOUNDS) as MemoName[];
    expect(Object.keys(MEMO_SHARES).sort()).toEqual([...names].sort());
    expect(Object.values(MEMO_SHARES).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    for (const share of Object.values(MEMO_SHARES)) expect(share).toBeGreaterThan(0);
    setMemoryBudget(10 * 2 ** 20);
    expect(memoryBudgetBytes()).toBe(10 * 2 ** 20);
    for (const name of names) expect(new Memo(name).maxBytes).toBe(Math.floor(10 * 2 ** 20 * MEMO_SHARES[name]));
  });

  it('default the budget to a fifth of V8\'s heap limit, within 8 and 256 MB', () => {
    expect(DEFAULT_BUDGET_FRACTION).toBe(1 / 5);
    expect(defaultMemoryBudgetBytes(134 * 2 ** 20)).toBe(Math.round((134 * 2 ** 20) / 5));
    expect(defaultMemoryBudgetBytes(20 * 2 ** 20)).toBe(8 * 2 ** 20);
    expect(defaultMemoryBudgetBytes(4288 * 2 ** 20)).toBe(256 * 2 ** 20);
    expect(() => setMemoryBudget(0)).toThrow(RangeError);
  });

  it('report what each memo holds, summed per name', () => {
    const before = memoBytes().offers;
    const memo = new Memo<Record<string, number>>('offers', { maxBytes: 1_000_000 });
    memo.set('+14155550100', { telnyx: 1 });
    expect(memoBytes().offers - before).toBe(memo.bytes);
    expect(memo.bytes).toBeGreaterThan(0);
  });
});

