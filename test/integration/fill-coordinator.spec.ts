import Redis from 'ioredis';
import { fillChannel } from '../../src/cache/cache-keys';
import { type Fill, FillCoordinator } from '../../src/cache/fill-coordinator';
import { RedisFillLock } from '../../src/cache/fill-lock';
import { type FillSignals, NO_FILL_SIGNALS, RedisFillSignals } from '../../src/cache/fill-signals';
import type { RedisService } from '../../src/redis/redis.service';
import { deletePrefix, eventually, freePort, SHARED_REDIS_URL, startRedisService, uniquePrefix } from '../support/redis';

/**
 * The fill coordinator of two instances against the real Redis on 127.0.0.1:6379 (a key prefix of this
 * run), each with its own connections as two processes would have: one fills while the other sleeps until
 * the release is announced, a dead holder blocks only until its lock expires, a failed holder lets the
 * next one fill, and without anyone to wait for an instance fills by itself.
 */
const prefix = uniquePrefix('fill');
const channel = fillChannel(prefix);
const services: RedisService[] = [];
let raw: Redis;

beforeAll(() => {
  raw = new Redis(SHARED_REDIS_URL);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.onApplicationShutdown()));
  await deletePrefix(prefix);
  raw.disconnect();
});

/** Records how each wait ended (true: woken by a release) and how many are waiting now. */
function recorded(signals: FillSignals) {
  const outcomes: boolean[] = [];
  let waiting = 0;
  const wrapped: FillSignals = {
    get listening() {
      return signals.listening;
    },
    expect: (lockKey) => {
      const waiter = signals.expect(lockKey);
      return {
        dispose: () => waiter.dispose(),
        wait: async (until, signal) => {
          waiting++;
          const released = await waiter.wait(until, signal);
          waiting--;
          outcomes.push(released);
          return released;
        },
      };
    },
  };
  return { signals: wrapped, outcomes, waiting: () => waiting };
}

async function instance() {
  const { service } = await startRedisService({ REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix });
  services.push(service);
  const signals = new RedisFillSignals(service, channel);
  expect(await eventually(() => signals.listening)).toBe(true);
  const rec = recorded(signals);
  return { coordinator: new FillCoordinator(new RedisFillLock(service, channel), rec.signals), ...rec };
}

let n = 0;
/** A fill of a key of its own: the answer lives under `answer`, written by make() before it resolves. */
function fillOf(made: string[], make: () => Promise<string>): { fill: (over?: Partial<Fill<string>>) => Fill<string>; answer: string; lock: string } {
  n++;
  const answer = `${prefix}:answer:${n}`;
  const lock = `${prefix}:lock:${n}`;
  return {
    answer,
    lock,
    fill: (over = {}) => ({
      key: answer,
      lockKey: lock,
      lockMs: 10_000,
      lookFirst: true,
      lookup: async () => (await raw.get(answer)) ?? undefined,
      make: async () => {
        const value = await make();
        made.push(value);
        await raw.set(answer, value, 'EX', 60);
        return value;
      },
      signal: new AbortController().signal,
      deadlineAt: Date.now() + 20_000,
      ...over,
    }),
  };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('fill coordinator across instances', () => {
  it('lets one instance fill while the other sleeps until the release is announced, then reads its answer', async () => {
    const [a, b] = [await instance(), await instance()];
    const made: string[] = [];
    const slow = gate();
    const { fill, lock } = fillOf(made, async () => {
      await slow.opened;
      return 'from-a';
    });
    const first = a.coordinator.run(fill());
    expect(await eventually(async () => (await raw.exists(lock)) === 1)).toBe(true);
    const second = b.coordinator.run(fill({ make: async () => 'from-b' }));
    expect(await eventually(() => b.waiting() === 1)).toBe(true);
    slow.open();
    expect(await Promise.all([first, second])).toEqual(['from-a', 'from-a']);
    expect(made).toEqual(['from-a']);
    // Woken by the release (a wait that ran out would be false), well before the lock's 10 s expiry.
    expect(b.outcomes).toEqual([true]);
  });

  it('waits out a dead holder\'s lock, then fills by itself', async () => {
    const b = await instance();
    const made: string[] = [];
    const { fill, lock } = fillOf(made, async () => 'from-b');
    // A holder that died mid-fill: its lock is there, nobody will release it.
    await raw.set(lock, 'dead-holder', 'PX', 300, 'NX');
    expect(await b.coordinator.run(fill())).toBe('from-b');
    expect(made).toEqual(['from-b']);
    expect(b.outcomes).toEqual([false]);
  });

  it('lets the next instance fill when the holder fails (failures are not stored)', async () => {
    const [a, b] = [await instance(), await instance()];
    const made: string[] = [];
    const slow = gate();
    const { fill, lock } = fillOf(made, async () => {
      await slow.opened;
      throw new Error('carrier down');
    });
    const first = a.coordinator.run(fill());
    first.catch(() => undefined);
    expect(await eventually(async () => (await raw.exists(lock)) === 1)).toBe(true);
    const second = b.coordinator.run(fill({ make: async () => 'from-b' }));
    expect(await eventually(() => b.waiting() === 1)).toBe(true);
    slow.open();
    await expect(first).rejects.toThrow('carrier down');
    expect(await second).toBe('from-b');
    expect(b.outcomes).toEqual([true]);
    // b took the lock after a, and released it in turn (releases are not awaited by the fill).
    expect(await eventually(async () => (await raw.exists(lock)) === 0)).toBe(true);
  });

  it('announces a release only when someone waited for it', async () => {
    const [a, b] = [await instance(), await instance()];
    const heard: string[] = [];
    const listener = new Redis(SHARED_REDIS_URL);
    await listener.subscribe(channel);
    listener.on('message', (_channel: string, lockKey: string) => heard.push(lockKey));
    try {
      // Everything published before a PING's answer on the listener's connection has reached it.
      const settled = async (lock: string) => {
        expect(await eventually(async () => (await raw.exists(lock)) === 0)).toBe(true);
        await listener.ping();
      };
      const alone = fillOf([], async () => 'alone');
      expect(await a.coordinator.run(alone.fill())).toBe('alone');
      await settled(alone.lock);
      expect(heard).toEqual([]);

      const slow = gate();
      const contended = fillOf([], async () => {
        await slow.opened;
        return 'contended';
      });
      const first = a.coordinator.run(contended.fill());
      expect(await eventually(async () => (await raw.exists(contended.lock)) === 1)).toBe(true);
      const second = b.coordinator.run(contended.fill());
      expect(await eventually(() => b.waiting() === 1)).toBe(true);
      slow.open();
      expect(await Promise.all([first, second])).toEqual(['contended', 'contended']);
      await settled(contended.lock);
      expect(heard).toEqual([contended.lock]);
    } finally {
      listener.disconnect();
    }
  });

  it('coalesces identical fills of one process into one', async () => {
    const a = await instance();
    const made: string[] = [];
    const { fill } = fillOf(made, async () => 'once');
    expect(await Promise.all(Array.from({ length: 10 }, () => a.coordinator.run(fill())))).toEqual(Array(10).fill('once'));
    expect(made).toEqual(['once']);
  });

  it('looks once more before filling: an answer stored meanwhile is served without a fill', async () => {
    const a = await instance();
    const made: string[] = [];
    const { fill, answer } = fillOf(made, async () => 'fresh');
    await raw.set(answer, 'stored', 'EX', 60);
    expect(await a.coordinator.run(fill())).toBe('stored');
    expect(await a.coordinator.run(fill({ lookFirst: false }))).toBe('fresh');
    expect(made).toEqual(['fresh']);
  });
});

describe('fill coordinator with nobody to wait for', () => {
  it('fills by itself while announcements cannot reach it, even though another holds the lock', async () => {
    const { service } = await startRedisService({ REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix });
    services.push(service);
    const blind = recorded(NO_FILL_SIGNALS);
    const coordinator = new FillCoordinator(new RedisFillLock(service, channel), blind.signals);
    const made: string[] = [];
    const { fill, lock } = fillOf(made, async () => 'by-itself');
    await raw.set(lock, 'someone-else', 'PX', 10_000, 'NX');
    expect(await coordinator.run(fill())).toBe('by-itself');
    expect(blind.outcomes).toEqual([]);
  });

  it('fills by itself when Redis is unavailable', async () => {
    const { service } = await startRedisService({ REDIS_URL: `redis://127.0.0.1:${await freePort()}/0`, REDIS_KEY_PREFIX: prefix });
    services.push(service);
    const signals = recorded(new RedisFillSignals(service, channel));
    expect(signals.signals.listening).toBe(false);
    const coordinator = new FillCoordinator(new RedisFillLock(service, channel), signals.signals);
    let calls = 0;
    const value = await coordinator.run<string>({
      key: 'k',
      lockKey: `${prefix}:lock:down`,
      lockMs: 10_000,
      lookFirst: true,
      lookup: async () => undefined,
      make: async () => `call-${++calls}`,
      signal: new AbortController().signal,
      deadlineAt: Date.now() + 20_000,
    });
    expect(value).toBe('call-1');
    expect(signals.outcomes).toEqual([]);
  });
});
