import { ProviderError } from '../../domain/provider-error';
import { SinchTokenCache, type IssuedToken } from './sinch.token';

/** A token endpoint the test answers by hand, and a clock it moves by hand. */
function harness() {
  const calls: { signal: AbortSignal; resolve: (t: IssuedToken) => void; reject: (e: unknown) => void }[] = [];
  let now = 1_000_000;
  const cache = new SinchTokenCache(
    (signal) => new Promise<IssuedToken>((resolve, reject) => calls.push({ signal, resolve, reject })),
    () => now,
  );
  return { cache, calls, advance: (ms: number) => (now += ms) };
}

const never = () => new AbortController().signal;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => undefined, (e: unknown) => e);
}

describe('SinchTokenCache', () => {
  it('shares one token request between concurrent callers and caches the answer', async () => {
    const { cache, calls } = harness();
    const waiting = Promise.all([cache.get(never()), cache.get(never()), cache.get(never())]);
    expect(calls).toHaveLength(1);
    calls[0].resolve({ value: 'tok-1', lifetimeMs: 3_600_000 });
    expect(await waiting).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(await cache.get(never())).toBe('tok-1');
    expect(calls).toHaveLength(1);
  });

  it('refreshes 60 s before expiry, or a tenth of a short lifetime before it', async () => {
    const { cache, calls, advance } = harness();
    const first = cache.get(never());
    calls[0].resolve({ value: 'long', lifetimeMs: 3_600_000 });
    await first;
    advance(3_540_000 - 1);
    expect(await cache.get(never())).toBe('long');
    advance(1);
    const second = cache.get(never());
    expect(calls).toHaveLength(2);
    calls[1].resolve({ value: 'short', lifetimeMs: 10_000 });
    expect(await second).toBe('short');
    advance(8_999);
    expect(await cache.get(never())).toBe('short');
    advance(1);
    void cache.get(never()).catch(() => undefined);
    expect(calls).toHaveLength(3);
  });

  it('does not cache a failure: every caller gets it, the next call asks again', async () => {
    const { cache, calls } = harness();
    const a = rejection(cache.get(never()));
    const b = rejection(cache.get(never()));
    const failure = new ProviderError({ provider: 'sinch', kind: 'auth_failed', message: 'token request failed: invalid_client' });
    calls[0].reject(failure);
    expect(await a).toBe(failure);
    expect(await b).toBe(failure);
    void cache.get(never()).catch(() => undefined);
    expect(calls).toHaveLength(2);
  });

  it('lets one caller give up without cancelling the request the others wait for', async () => {
    const { cache, calls } = harness();
    const impatient = new AbortController();
    const gaveUp = rejection(cache.get(impatient.signal));
    const patient = cache.get(never());
    impatient.abort();
    expect(await gaveUp).toMatchObject({ kind: 'timeout', provider: 'sinch' });
    expect(calls[0].signal.aborted).toBe(false);
    calls[0].resolve({ value: 'tok', lifetimeMs: 60_000 });
    expect(await patient).toBe('tok');
  });

  it('cancels the request when every caller has given up, and starts afresh after', async () => {
    const { cache, calls } = harness();
    const a = new AbortController();
    const b = new AbortController();
    const results = [rejection(cache.get(a.signal)), rejection(cache.get(b.signal))];
    a.abort();
    expect(calls[0].signal.aborted).toBe(false);
    b.abort();
    expect(calls[0].signal.aborted).toBe(true);
    for (const r of await Promise.all(results)) expect(r).toMatchObject({ kind: 'timeout' });
    const next = cache.get(never());
    expect(calls).toHaveLength(2);
    calls[1].resolve({ value: 'fresh', lifetimeMs: 60_000 });
    expect(await next).toBe('fresh');
  });

  it('rejects at once for an already aborted caller, without asking', async () => {
    const { cache, calls } = harness();
    const aborted = new AbortController();
    aborted.abort();
    expect(await rejection(cache.get(aborted.signal))).toMatchObject({ kind: 'timeout' });
    expect(calls).toHaveLength(0);
  });

  it('forgets a rejected token, unless another caller already replaced it', async () => {
    const { cache, calls } = harness();
    const first = cache.get(never());
    calls[0].resolve({ value: 'old', lifetimeMs: 3_600_000 });
    await first;
    cache.invalidate('old');
    const second = cache.get(never());
    calls[1].resolve({ value: 'new', lifetimeMs: 3_600_000 });
    expect(await second).toBe('new');
    // A late 401 for the old token must not throw the new one away.
    cache.invalidate('old');
    const third = cache.get(never());
    expect(calls).toHaveLength(2);
    expect(await third).toBe('new');
  });
});
