import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { Memo } from '../memo/memo';
import { FORMAT_VERSION } from '../redis/key-format';
import { RedisService } from '../redis/redis.service';

/** Where the numbers orders hold come from: the ledger, read at start-up and then now and again. */
export interface HeldNumbersSource {
  /** Numbers held by unfinished orders and by orders completed within `completedWithinMs`. */
  heldNumbers(completedWithinMs: number): Promise<string[]>;
}

export const HELD_NUMBERS_SOURCE = Symbol('HELD_NUMBERS_SOURCE');

/** How often the set is read again from the ledger, whatever was heard meanwhile. */
export const REFRESH_MS = 30_000;
/** Completed purchases stay hidden this long; carriers stop offering a sold number well before. */
const COMPLETED_HIDDEN_MS = 7 * 86_400_000;
/** A change heard (or made) this recently outweighs a ledger read that may have started before it was written. */
const RECENT_MS = 2 * REFRESH_MS;

/** The channel on which instances tell each other about numbers taken and freed. */
export function takenChannel(prefix: string): string {
  return `${prefix}:${FORMAT_VERSION}:taken-numbers`;
}

/**
 * The numbers that orders hold (being bought, bought, or waiting on the carrier), which no search may offer.
 * Kept in process so every search answer is filtered without a round trip: seeded from the ledger at start-up,
 * changed by this instance's orders, told to every other instance over Redis pub/sub, and read again from the
 * ledger every REFRESH_MS as a backstop for a message lost while a subscriber reconnected. Whoever keeps
 * answers derived from searches (the serialised-answer memo) listens with onTaken and drops what holds a
 * number taken.
 */
@Injectable()
export class TakenNumbers implements OnModuleInit, BeforeApplicationShutdown {
  private readonly held = new Memo<true>('takenNumbers');
  /** Numbers taken or freed recently, and when: a ledger read cannot undo them. */
  private readonly recent = new Map<string, { taken: boolean; at: number }>();
  private readonly listeners = new Set<(phoneNumber: string) => void>();
  private readonly channel: string;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(HELD_NUMBERS_SOURCE) private readonly source: HeldNumbersSource,
    private readonly redis: RedisService,
    @InjectPinoLogger('taken-numbers') private readonly logger: PinoLogger,
  ) {
    this.channel = takenChannel(config.cache.keyPrefix);
    redis.subscribe(this.channel, (message) => this.heard(message));
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  has(phoneNumber: string): boolean {
    return this.held.get(phoneNumber) !== undefined;
  }

  get size(): number {
    return this.held.size;
  }

  /** Calls `listener` with every number newly taken, wherever it was taken. Returns the way to stop. */
  onTaken(listener: (phoneNumber: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An order of this instance holds the number now: hidden here at once, and on every instance it reaches. */
  take(phoneNumber: string): void {
    this.apply(phoneNumber, true);
    this.publish(`take ${phoneNumber}`);
  }

  /** The order holding the number failed: it may be offered again. */
  free(phoneNumber: string): void {
    this.apply(phoneNumber, false);
    this.publish(`free ${phoneNumber}`);
  }

  /** Reads the held numbers from the ledger again (one read at a time). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readLedger().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async readLedger(): Promise<void> {
    const startedAt = Date.now();
    let numbers: string[];
    try {
      numbers = await this.source.heldNumbers(COMPLETED_HIDDEN_MS);
    } catch (e) {
      this.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'the held numbers could not be read from the orders ledger; the last known set stays');
      throw e;
    }
    for (const [n, change] of this.recent) if (change.at < startedAt - RECENT_MS) this.recent.delete(n);
    const now = new Set(numbers);
    for (const n of this.held.keys()) if (!now.has(n) && !this.recent.get(n)?.taken) this.held.delete(n);
    for (const n of now) if (this.recent.get(n)?.taken !== false) this.add(n);
  }

  private heard(message: string): void {
    const [verb, phoneNumber] = message.split(' ');
    if (phoneNumber === undefined || !phoneNumber.startsWith('+')) return;
    if (verb === 'take') this.apply(phoneNumber, true);
    else if (verb === 'free') this.apply(phoneNumber, false);
  }

  private apply(phoneNumber: string, taken: boolean): void {
    this.recent.set(phoneNumber, { taken, at: Date.now() });
    if (taken) this.add(phoneNumber);
    else this.held.delete(phoneNumber);
  }

  private add(phoneNumber: string): void {
    if (this.held.get(phoneNumber) !== undefined) return;
    this.held.set(phoneNumber, true);
    for (const listener of this.listeners) listener(phoneNumber);
  }

  private publish(message: string): void {
    const client = this.redis.client;
    if (!client || !this.redis.available) return;
    // Best effort: an instance that misses it catches up at its next ledger read.
    client.publish(this.channel, message).catch((e: unknown) => this.redis.commandFailed(e));
  }
}
