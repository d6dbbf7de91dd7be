import { answerKey, fillLockKey } from '../../src/cache/cache-keys';
import { canonicalQuery } from '../../src/domain/canonical-query';
import { usageKey } from '../../src/usage/usage-key';
import { MemoryAnswerStore } from '../../src/cache/memory-answer-store';
import { SingleFlight } from '../../src/cache/single-flight';
import { ConfigError } from '../../src/config/config-problems';
import { loadConfig } from '../../src/config/app-config';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';
import type { Feature, SearchQuery } from '../../src/domain/search-query';
import { MemoryUsageCounter } from '../../src/usage/usage-counter';

const q = (over: Partial<SearchQuery> = {}): SearchQuery => ({
  countryCode: 'US',
  areaCode: '415',
  features: ['sms', 'voice'],
  phoneNumberType: 'local',
  limit: 10,
  ...over,
});

describe('cache keys', () => {
  it('are the same for every spelling of one search', () => {
    const canonical = canonicalQuery(q());
    expect(canonicalQuery(q({ countryCode: 'us' }))).toBe(canonical);
    expect(canonicalQuery(q({ features: ['voice', 'sms'] }))).toBe(canonical);
    expect(canonicalQuery(q({ features: ['VOICE', 'sms', 'voice'] as unknown as Feature[] }))).toBe(canonical);
    expect(canonical).toBe('{US:local:415:sms,voice:10}');
  });

  it('differ for anything that changes what a carrier answers', () => {
    const canonical = canonicalQuery(q());
    for (const other of [q({ areaCode: undefined }), q({ areaCode: '212' }), q({ features: ['sms'] }), q({ limit: 5 }), q({ phoneNumberType: 'toll_free' }), q({ countryCode: 'CA' })]) {
      expect(canonicalQuery(other)).not.toBe(canonical);
    }
  });

  it('are versioned under the prefix, per carrier, with the query as the Redis Cluster hash tag', () => {
    expect(answerKey('ng', q(), 'telnyx')).toBe('ng:v1:answer:{US:local:415:sms,voice:10}:telnyx');
    expect(answerKey('ng', q(), 'twilio')).not.toBe(answerKey('ng', q(), 'telnyx'));
    expect(fillLockKey('ng', q(), 'telnyx')).toBe('ng:v1:fill:{US:local:415:sms,voice:10}:telnyx');
    expect(usageKey('test-run', 'billing')).toBe('test-run:v1:usage:{billing}');
  });
});

describe('REDIS_KEY_PREFIX', () => {
  const base = { API_KEYS: 'billing:k_test_0123456789' };
  it('defaults to ng and takes a valid prefix', () => {
    expect(loadConfig(base, PROVIDER_DEFINITIONS).cache.keyPrefix).toBe('ng');
    expect(loadConfig({ ...base, REDIS_KEY_PREFIX: ' staging-eu.1 ' }, PROVIDER_DEFINITIONS).cache.keyPrefix).toBe('staging-eu.1');
  });

  it('stops start-up with one line naming the variable for a prefix with other characters', () => {
    for (const bad of ['has space', 'a:b', '{tag}', 'x'.repeat(65)]) {
      let error: unknown;
      try {
        loadConfig({ ...base, REDIS_KEY_PREFIX: bad }, PROVIDER_DEFINITIONS);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).lines).toEqual([expect.stringMatching(/^REDIS_KEY_PREFIX must be .*\(example: REDIS_KEY_PREFIX=ng\)$/)]);
    }
  });
});

describe('in-process answer store', () => {
  it('drops the least recently used entry when full', async () => {
    const store = new MemoryAnswerStore(2);
    await store.set('a', { at: 1, numbers: [] }, 60);
    await store.set('b', { at: 2, numbers: [] }, 60);
    expect(await store.get('a')).toEqual({ at: 1, numbers: [] }); // a is now the most recently used
    await store.set('c', { at: 3, numbers: [] }, 60);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
    expect(store.size).toBe(2);
  });

  it('forgets an entry after its expiry', async () => {
    const store = new MemoryAnswerStore();
    await store.set('a', { at: 1, numbers: [] }, 0.05);
    expect(await store.get('a')).toBeDefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });
});

describe('single flight', () => {
  it('gives concurrent callers of one key one run, and starts a new one after it settled', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const work = async () => {
      runs++;
      await gate;
      return runs;
    };
    const all = Promise.all(Array.from({ length: 10 }, () => flights.run('k', work)));
    const other = flights.run('other', async () => -1);
    expect(flights.has('k')).toBe(true);
    release();
    expect(await all).toEqual(Array(10).fill(1));
    expect(await other).toBe(-1);
    expect(flights.has('k')).toBe(false);
    expect(await flights.run('k', work)).toBe(2);
  });

  it('shares a failure with every caller and does not keep it', async () => {
    const flights = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error('carrier down'));
    const results = await Promise.allSettled([flights.run('k', failing), flights.run('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await flights.run('k', async () => 7)).toBe(7);
  });
});

describe('in-process usage counter', () => {
  it('counts per client within a window and starts again after it', async () => {
    const counter = new MemoryUsageCounter();
    expect((await counter.increment('a', 100)).count).toBe(1);
    expect((await counter.increment('a', 100)).count).toBe(2);
    expect((await counter.increment('b', 100)).count).toBe(1);
    const { resetMs } = await counter.increment('a', 100);
    expect(resetMs).toBeGreaterThan(0);
    expect(resetMs).toBeLessThanOrEqual(100);
    await new Promise((r) => setTimeout(r, 120));
    expect((await counter.increment('a', 100)).count).toBe(1);
  });
});
