/** Why a call got no slot. */
export type CapacityRefusal =
  /** Every slot was taken and the client already had its most calls waiting. */
  | 'queue_full'
  /** Every slot was taken and none came free before the wait's signal fired. */
  | 'timeout';

export class CapacityRefusedError extends Error {
  constructor(readonly reason: CapacityRefusal) {
    super(reason === 'queue_full' ? 'no slot free and the queue of this client is full' : 'no slot came free in time');
    this.name = 'CapacityRefusedError';
  }
}

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  readonly grant: (release: Release) => void;
}

interface ClientState {
  running: number;
  readonly queue: Waiter[];
  /** When the client was last given a slot (a sequence number): ties go to the one served longest ago. */
  lastServed: number;
}

/**
 * At most `capacity` calls in flight, shared fairly between clients. One client holds at most
 * `capacity - reserve` of them: the `reserve` slots are left for other clients, so that a client arriving
 * while another bursts starts at once instead of waiting for a call to finish. Otherwise a call that finds
 * a slot free starts at once, whoever makes it. A call that finds none (or whose client holds its most)
 * waits in its client's queue, for as long as the signal it brings allows and only if that queue is
 * shorter than `maxQueuedPerClient`. A slot that comes free goes to the waiting client with the fewest
 * calls in flight (ties: the one served longest ago, so equals take turns): a client that holds many slots
 * gets none back while another waits, and a client that bursts can delay another by at most one call's
 * duration. Everything is synchronous bookkeeping on the event loop; no timer is owned here.
 */
export class FairCapacity {
  private running = 0;
  private sequence = 0;
  private readonly clients = new Map<string, ClientState>();

  /** The most slots one client may hold. */
  readonly perClient: number;

  constructor(
    readonly capacity: number,
    readonly maxQueuedPerClient: number,
    readonly reserve = 0,
  ) {
    if (!(capacity >= 1) || !(maxQueuedPerClient >= 0) || !(reserve >= 0 && reserve < capacity)) {
      throw new RangeError('capacity must be at least 1, the queue bound at least 0, and the reserve below the capacity');
    }
    this.perClient = capacity - reserve;
  }

  /** Calls in flight now. */
  get inFlight(): number {
    return this.running;
  }

  /** Calls of this client waiting now. */
  waiting(client: string): number {
    return this.clients.get(client)?.queue.length ?? 0;
  }

  /** Calls of this client in flight now. */
  inFlightOf(client: string): number {
    return this.clients.get(client)?.running ?? 0;
  }

  /** A slot now, if one is free, nobody who may take it waits, and the client holds fewer than its most; otherwise undefined (nothing is queued). */
  tryAcquire(client: string): Release | undefined {
    if (this.running >= this.capacity || (this.clients.get(client)?.running ?? 0) >= this.perClient || this.anyoneWaiting()) return undefined;
    return this.take(this.state(client));
  }

  /**
   * A slot now if one is free, else once one comes free and it is this client's turn. Rejects with
   * CapacityRefusedError: at once when the client's queue is full, or when `signal` fires first.
   */
  acquire(client: string, signal?: AbortSignal): Promise<Release> {
    const now = this.tryAcquire(client);
    if (now) return Promise.resolve(now);
    const state = this.state(client);
    if (state.queue.length >= this.maxQueuedPerClient || signal?.aborted) {
      this.forgetIfIdle(client, state);
      return Promise.reject(new CapacityRefusedError(signal?.aborted ? 'timeout' : 'queue_full'));
    }
    return new Promise<Release>((resolve, reject) => {
      const onAbort = () => {
        const i = state.queue.indexOf(waiter);
        if (i >= 0) state.queue.splice(i, 1);
        this.forgetIfIdle(client, state);
        reject(new CapacityRefusedError('timeout'));
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      state.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private take(state: ClientState): Release {
    state.running++;
    this.running++;
    state.lastServed = ++this.sequence;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.running--;
      this.running--;
      this.dispatch();
      this.forgetIdle();
    };
  }

  /** Hands free slots to waiting clients: fewest calls in flight first, then the one served longest ago. */
  private dispatch(): void {
    while (this.running < this.capacity) {
      let next: ClientState | undefined;
      for (const state of this.clients.values()) {
        if (state.queue.length === 0 || state.running >= this.perClient) continue;
        if (!next || state.running < next.running || (state.running === next.running && state.lastServed < next.lastServed)) next = state;
      }
      if (!next) return;
      const waiter = next.queue.shift()!;
      waiter.grant(this.take(next));
    }
  }

  /** Whether a waiting client could take a free slot (one that holds its most waits for its own calls instead). */
  private anyoneWaiting(): boolean {
    for (const state of this.clients.values()) if (state.queue.length > 0 && state.running < this.perClient) return true;
    return false;
  }

  private state(client: string): ClientState {
    let state = this.clients.get(client);
    if (!state) {
      state = { running: 0, queue: [], lastServed: 0 };
      this.clients.set(client, state);
    }
    return state;
  }

  /** Clients with nothing in flight and nothing waiting are dropped, so the map holds only active clients. */
  private forgetIfIdle(client: string, state: ClientState): void {
    if (state.running === 0 && state.queue.length === 0 && this.clients.get(client) === state) this.clients.delete(client);
  }

  private forgetIdle(): void {
    for (const [client, state] of this.clients) this.forgetIfIdle(client, state);
  }
}
