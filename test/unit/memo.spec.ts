import { Memo } from '../../src/memo/memo';
import { MEMO_BOUNDS } from '../../src/memo/memo-bounds';

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
});
