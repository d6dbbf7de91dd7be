import { MemoryOfferBook } from '../../src/offers/memory-offer-book';
import { offerKey, RedisOfferBook } from '../../src/offers/redis-offer-book';
import type { RedisService } from '../../src/redis/redis.service';
import { TakenNumbers, type HeldNumbersSource } from '../../src/taken-numbers/taken-numbers';
import { capturingLogger, DedicatedRedis, deletePrefix, eventually, freePort, SHARED_REDIS_URL, startRedisService, uniquePrefix } from '../support/redis';
import type { AppConfig } from '../../src/config/app-config';
import Redis from 'ioredis';

/** The offer book and the taken numbers of two instances sharing the real Redis on 127.0.0.1:6379. */
const prefix = uniquePrefix('offers');
const services: RedisService[] = [];
let config: AppConfig;

async function instance(url = SHARED_REDIS_URL): Promise<RedisService> {
  const started = await startRedisService({ REDIS_URL: url, REDIS_KEY_PREFIX: prefix });
  config = started.config;
  services.push(started.service);
  return started.service;
}

afterAll(async () => {
  for (const s of services) await s.onApplicationShutdown();
  await deletePrefix(prefix);
});

describe('the offer book in Redis', () => {
  it('shows every instance the carriers that offered a number, each offer ending on its own', async () => {
    const [a, b] = [await instance(), await instance()];
    const bookA = new RedisOfferBook(a, prefix, 60_000, new MemoryOfferBook(60_000));
    const shortB = new RedisOfferBook(b, prefix, 300, new MemoryOfferBook(300));
    const longB = new RedisOfferBook(b, prefix, 60_000, new MemoryOfferBook(60_000));
    await bookA.record(new Map([['+14155550101', ['telnyx', 'twilio']], ['+14155550102', ['vonage']]]));
    expect((await longB.offeredBy('+14155550101')).sort()).toEqual(['telnyx', 'twilio']);
    expect(await longB.offeredBy('+14155550102')).toEqual(['vonage']);
    expect(await longB.offeredBy('+14155550199')).toEqual([]);
    // A short offer of another carrier ends while the others go on; the key keeps the longest expiry.
    await shortB.record(new Map([['+14155550102', ['plivo']]]));
    expect((await longB.offeredBy('+14155550102')).sort()).toEqual(['plivo', 'vonage']);
    expect(await eventually(async () => (await longB.offeredBy('+14155550102')).join() === 'vonage', 100, 20)).toBe(true);
    const redis = new Redis(SHARED_REDIS_URL);
    try {
      expect(await redis.pttl(offerKey(prefix, '+14155550102'))).toBeGreaterThan(1000);
    } finally {
      redis.disconnect();
    }
  });

  it('answers from this instance\'s own offers while Redis is unavailable', async () => {
    const own = new DedicatedRedis(await freePort());
    await own.start();
    try {
      const svc = await instance(own.url);
      const book = new RedisOfferBook(svc, prefix, 60_000, new MemoryOfferBook(60_000));
      await book.record(new Map([['+14155550111', ['sinch']]]));
      await own.kill();
      await eventually(() => !svc.available, 100, 20);
      expect(await book.offeredBy('+14155550111')).toEqual(['sinch']);
      // Recorded while Redis is away: kept in process, answered in process.
      await book.record(new Map([['+14155550112', ['bandwidth']]]));
      expect(await book.offeredBy('+14155550112')).toEqual(['bandwidth']);
    } finally {
      await own.stop();
    }
  });
});

describe('the offer book in process', () => {
  it('forgets an offer when its time is up', async () => {
    const book = new MemoryOfferBook(200);
    await book.record(new Map([['+14155550121', ['twilio']]]));
    expect(await book.offeredBy('+14155550121')).toEqual(['twilio']);
    expect(await eventually(async () => (await book.offeredBy('+14155550121')).length === 0, 100, 20)).toBe(true);
  });
});

describe('the numbers orders hold, on two instances', () => {
  class Ledger implements HeldNumbersSource {
    numbers: string[] = [];
    async heldNumbers(): Promise<string[]> {
      return [...this.numbers];
    }
  }

  async function takenOn(ledger: HeldNumbersSource) {
    const redis = await instance();
    const taken = new TakenNumbers(config, ledger, redis, capturingLogger().logger as never);
    // The subscriber confirms its channel before the instance counts as started (as in the app).
    await redis.onModuleInit();
    await taken.onModuleInit();
    return taken;
  }

  it('starts from the ledger, and hears every take and free of the other instance', async () => {
    const ledger = new Ledger();
    ledger.numbers = ['+14155550130'];
    const [a, b] = [await takenOn(ledger), await takenOn(ledger)];
    expect(a.has('+14155550130') && b.has('+14155550130')).toBe(true);
    const heard: string[] = [];
    b.onTaken((n) => heard.push(n));
    a.take('+14155550131');
    expect(a.has('+14155550131')).toBe(true);
    expect(await eventually(() => b.has('+14155550131'))).toBe(true);
    expect(heard).toEqual(['+14155550131']);
    a.free('+14155550131');
    expect(a.has('+14155550131')).toBe(false);
    expect(await eventually(() => !b.has('+14155550131'))).toBe(true);
    a.beforeApplicationShutdown();
    b.beforeApplicationShutdown();
  });

  it('catches up with the ledger on its next read, without undoing a change it heard meanwhile', async () => {
    const ledger = new Ledger();
    const taken = await takenOn(ledger);
    const heard: string[] = [];
    taken.onTaken((n) => heard.push(n));
    // Written by an instance whose message was lost: the next read finds it.
    ledger.numbers = ['+14155550140', '+14155550141'];
    await taken.refresh();
    expect(taken.has('+14155550140') && taken.has('+14155550141')).toBe(true);
    expect(heard).toEqual(['+14155550140', '+14155550141']);
    // Taken here, not yet in what the ledger read returns: stays taken.
    taken.take('+14155550142');
    // Freed (failed) here, still in a read that may have started before: stays free.
    taken.free('+14155550141');
    await taken.refresh();
    expect(taken.has('+14155550142')).toBe(true);
    expect(taken.has('+14155550141')).toBe(false);
    // Gone from the ledger long ago (a failed order elsewhere): freed.
    ledger.numbers = ['+14155550141', '+14155550142'];
    await taken.refresh();
    expect(taken.has('+14155550140')).toBe(false);
    taken.beforeApplicationShutdown();
  });
});
