import { asksToBypass, CacheBypassPolicy, cacheBypassFor } from '../../src/cache/cache-bypass';

describe('the cache-bypass rule', () => {
  it('reads no-cache among any Cache-Control directives, in any case, and nothing else', () => {
    for (const yes of ['no-cache', 'No-Cache', 'max-age=0, no-cache', 'no-cache="set-cookie"', ['max-age=0', 'no-cache']]) expect({ yes, asks: asksToBypass(yes) }).toEqual({ yes, asks: true });
    for (const no of [undefined, '', 'max-age=0', 'no-store', 'no-cacheable', 'x-no-cache']) expect({ no, asks: asksToBypass(no) }).toEqual({ no, asks: false });
  });

  it('honours the clients named, ignores the others, and says nothing when the header was not sent', () => {
    expect(cacheBypassFor(['billing'], 'billing', 'no-cache')).toBe('honoured');
    expect(cacheBypassFor(['billing'], 'crm', 'no-cache')).toBe('ignored');
    expect(cacheBypassFor([], 'anonymous', 'no-cache')).toBe('ignored');
    expect(cacheBypassFor(['billing'], 'crm', undefined)).toBe('none');
    expect(CacheBypassPolicy.headers('ignored')).toEqual({ 'x-cache-bypass': 'ignored' });
    expect(CacheBypassPolicy.headers('honoured')).toEqual({});
    expect(CacheBypassPolicy.headers('none')).toEqual({});
  });
});
