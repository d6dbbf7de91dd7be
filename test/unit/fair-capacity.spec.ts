import { CapacityRefusedError, FairCapacity, type Release } from '../../src/resilience/fair-capacity';

/**
 * The fair cap on a carrier's calls in flight, driven step by step: every slot is taken and given back
 * by the test, and every wait ends by a signal the test fires, so nothing depends on timing.
 */

/** Settles pending promise reactions (grants are resolved promises). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Calls that are waiting, and the order in which their slots were granted. */
function recorder(capacity: FairCapacity) {
  const granted: string[] = [];
  const releases = new Map<string, Release>();
  const refused: { label: string; reason: string }[] = [];
  const ask = (client: string, label: string, signal?: AbortSignal) =>
    capacity.acquire(client, signal).then(
      (release) => {
        granted.push(label);
        releases.set(label, release);
      },
      (e: unknown) => {
        if (!(e instanceof CapacityRefusedError)) throw e;
        refused.push({ label, reason: e.reason });
      },
    );
  const release = (label: string) => {
    const r = releases.get(label);
    if (!r) throw new Error(`${label} holds no slot`);
    r();
  };
  return { granted, refused, ask, release };
}

describe('FairCapacity', () => {
  it('starts calls at once while a slot is free, whoever makes them', async () => {
    const capacity = new FairCapacity(3, 3);
    const r = recorder(capacity);
    await Promise.all([r.ask('noisy', 'n1'), r.ask('noisy', 'n2'), r.ask('noisy', 'n3')]);
    expect(r.granted).toEqual(['n1', 'n2', 'n3']);
    expect(capacity.inFlight).toBe(3);
    expect(capacity.tryAcquire('quiet')).toBeUndefined();
  });

  it('gives a freed slot to a waiting client with fewer calls in flight, before the client that holds the rest', async () => {
    const capacity = new FairCapacity(4, 10);
    const r = recorder(capacity);
    for (let i = 1; i <= 4; i++) void r.ask('noisy', `n${i}`);
    await settle();
    // The noisy client queues more work first; the quiet one comes after it.
    for (let i = 5; i <= 8; i++) void r.ask('noisy', `n${i}`);
    void r.ask('quiet', 'q1');
    void r.ask('quiet', 'q2');
    await settle();
    expect(r.granted).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(capacity.waiting('noisy')).toBe(4);
    expect(capacity.waiting('quiet')).toBe(2);

    r.release('n1');
    await settle();
    expect(r.granted.at(-1)).toBe('q1');
    r.release('n2');
    await settle();
    // quiet holds 1, noisy 2: quiet still has fewer in flight.
    expect(r.granted.at(-1)).toBe('q2');
    r.release('n3');
    await settle();
    // Nobody else waits: the noisy client's queue goes on in its own order.
    expect(r.granted.at(-1)).toBe('n5');
    expect(capacity.inFlight).toBe(4);
    expect({ noisy: capacity.inFlightOf('noisy'), quiet: capacity.inFlightOf('quiet') }).toEqual({ noisy: 2, quiet: 2 });
  });

  it('takes turns between clients holding as many slots as each other', async () => {
    const capacity = new FairCapacity(2, 10);
    const r = recorder(capacity);
    void r.ask('a', 'a1');
    void r.ask('b', 'b1');
    await settle();
    for (const label of ['a2', 'a3', 'a4']) void r.ask('a', label);
    for (const label of ['b2', 'b3', 'b4']) void r.ask('b', label);
    await settle();
    const order: string[] = [];
    const running = ['a1', 'b1'];
    for (let i = 0; i < 6; i++) {
      r.release(running.shift()!);
      await settle();
      const next = r.granted.at(-1)!;
      order.push(next);
      running.push(next);
    }
    // Each freed slot goes to the client with fewer in flight; at equal counts, to the one served longest ago.
    expect(order).toEqual(['a2', 'b2', 'a3', 'b3', 'a4', 'b4']);
  });

  it('refuses at once past the per-client queue bound, without touching other clients', async () => {
    const capacity = new FairCapacity(1, 2);
    const r = recorder(capacity);
    void r.ask('noisy', 'n1');
    void r.ask('noisy', 'n2');
    void r.ask('noisy', 'n3');
    void r.ask('noisy', 'n4');
    void r.ask('quiet', 'q1');
    await settle();
    expect(r.refused).toEqual([{ label: 'n4', reason: 'queue_full' }]);
    expect(capacity.waiting('quiet')).toBe(1);
    r.release('n1');
    await settle();
    expect(r.granted).toEqual(['n1', 'q1']);
  });

  it('refuses a waiting call when its signal fires, and gives its turn to the next one', async () => {
    const capacity = new FairCapacity(1, 5);
    const r = recorder(capacity);
    void r.ask('a', 'a1');
    const budget = new AbortController();
    void r.ask('b', 'b1', budget.signal);
    void r.ask('c', 'c1');
    await settle();
    budget.abort();
    await settle();
    expect(r.refused).toEqual([{ label: 'b1', reason: 'timeout' }]);
    expect(capacity.waiting('b')).toBe(0);
    r.release('a1');
    await settle();
    expect(r.granted).toEqual(['a1', 'c1']);
  });

  it('refuses a call whose signal already fired when no slot is free, and still starts one that finds a slot', async () => {
    const capacity = new FairCapacity(1, 5);
    const fired = AbortSignal.abort();
    const r = recorder(capacity);
    await r.ask('a', 'a1', fired);
    await r.ask('b', 'b1', fired);
    expect(r.granted).toEqual(['a1']);
    expect(r.refused).toEqual([{ label: 'b1', reason: 'timeout' }]);
  });

  it('counts a slot given back twice once, and forgets clients with nothing in flight or waiting', async () => {
    const capacity = new FairCapacity(2, 2);
    const release = capacity.tryAcquire('a')!;
    const other = capacity.tryAcquire('b')!;
    const waiting = capacity.acquire('c');
    release();
    release();
    const third = await waiting;
    expect(capacity.inFlight).toBe(2);
    other();
    third();
    expect(capacity.inFlight).toBe(0);
    expect([capacity.inFlightOf('a'), capacity.inFlightOf('b'), capacity.inFlightOf('c')]).toEqual([0, 0, 0]);
    expect((capacity as unknown as { clients: Map<string, unknown> }).clients.size).toBe(0);
  });

  it('keeps the reserve for other clients: a client that holds its most waits for its own calls, another starts at once', async () => {
    const capacity = new FairCapacity(4, 4, 1);
    const r = recorder(capacity);
    for (let i = 1; i <= 5; i++) void r.ask('noisy', `n${i}`);
    await settle();
    expect(r.granted).toEqual(['n1', 'n2', 'n3']);
    expect(capacity.waiting('noisy')).toBe(2);
    // The free slot is not the noisy client's: the quiet one takes it without waiting.
    expect(capacity.tryAcquire('quiet')).toBeDefined();
    expect(capacity.inFlight).toBe(4);
    // Once a noisy call ends, its next waiting call takes the slot back (never more than three at once).
    r.release('n1');
    await settle();
    expect(r.granted).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(capacity.inFlightOf('noisy')).toBe(3);
  });

  it('lets no call take a slot past a waiting one', async () => {
    const capacity = new FairCapacity(1, 2);
    const first = capacity.tryAcquire('a')!;
    const waiting = capacity.acquire('b');
    first();
    // The slot was handed to b on release: a newcomer finds none.
    expect(capacity.tryAcquire('a')).toBeUndefined();
    (await waiting)();
    expect(capacity.tryAcquire('a')).toBeDefined();
  });
});
