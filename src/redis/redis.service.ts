import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { createRedisClient, type RedisClient } from './redis-client';

const STARTUP_WAIT_MS = 2000;
/** Longest shutdown waits for the connection to close after QUIT (the socket closes right after its OK). */
const SHUTDOWN_WAIT_MS = 1000;
/** While commands fail on a connection that looks open (a hung or overloaded Redis), how often one PING probes it. */
const PROBE_INTERVAL_MS = 500;

/** A channel this instance listens on through its subscriber connection. */
export interface Subscription {
  /** Whether a message published now reaches this instance: false while the subscriber is (re)connecting. */
  readonly listening: boolean;
}

const NOT_LISTENING: Subscription = { listening: false };

/**
 * The Redis connections, when Redis is configured, and their health: the one owner of both. The command
 * connection is shared by the cache, the usage counter and health; a second connection, opened only when
 * something subscribes, receives published messages (a connection in subscriber mode can send nothing
 * else). Errors never escape: callers treat a failed command as a cache miss or fall back to in-process
 * counting, and report it here.
 *
 * Two kinds of outage: the connection is gone (ioredis says so with error/close events and reconnects by
 * itself), or it is open but commands time out (Redis hung, swapping, paused). The second is invisible to
 * the connection state, so a failed command starts a probe: if a PING fails too, Redis is treated as
 * unavailable (every caller skips it at once instead of waiting out its command timeout) until a PING
 * answers. Either outage is logged once when it starts and once when it ends, never once per request.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  readonly client: RedisClient | undefined;
  private subscriber: RedisClient | undefined;
  /** What to do with each subscribed channel's messages. */
  private readonly handlers = new Map<string, (message: string) => void>();
  /** Channels the subscriber connection has confirmed since it last connected. */
  private readonly confirmed = new Set<string>();
  private readonly onConfirmed = new Set<() => void>();
  private down = false;
  private failing = false;
  private probing = false;
  private closing = false;
  private lastError = '';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger('redis') private readonly logger: PinoLogger,
  ) {
    if (!config.redis) {
      logger.warn('REDIS_URL is not set: cache and usage counters are in-process (correct for one instance only)');
      return;
    }
    this.client = createRedisClient(config.redis);
    // An 'error' event without a listener would crash the process: this listener is what prevents that.
    // An error on a connection that stays ready is left to the PING probe to judge.
    this.client.on('error', (e: Error) => (this.client?.status === 'ready' ? this.commandFailed(e) : this.markDown(e.message)));
    // A close follows the error that caused it (WRONGPASS, a refused certificate): the error stays the reason.
    this.client.on('end', () => this.markDown('connection ended', false));
    this.client.on('close', () => this.markDown('connection closed', false));
    this.client.on('ready', () => {
      this.failing = false;
      this.markUp();
    });
  }

  /**
   * Gives Redis a moment to connect (and the subscriber to confirm its channels) before the first
   * request, so a freshly started instance shares the cache, the usage counts and fill notices from its
   * first search. A Redis that is down does not delay start-up more.
   */
  async onModuleInit(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const until = Date.now() + STARTUP_WAIT_MS;
    if (client.status !== 'ready') {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          client.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, STARTUP_WAIT_MS);
        client.once('ready', done);
      });
    }
    await this.allConfirmed(until - Date.now());
  }

  /**
   * Calls `onMessage` with every message published on `channel` anywhere. Delivery is best effort (a
   * message published while the subscriber reconnects is lost): callers check `listening` and must stay
   * correct without the message.
   */
  subscribe(channel: string, onMessage: (message: string) => void): Subscription {
    if (!this.client) return NOT_LISTENING;
    this.handlers.set(channel, onMessage);
    this.subscriber ??= this.openSubscriber(this.client);
    if (this.subscriber.status === 'ready') void this.confirm(channel);
    const confirmed = this.confirmed;
    const subscriber = this.subscriber;
    return {
      get listening() {
        return subscriber.status === 'ready' && confirmed.has(channel);
      },
    };
  }

  private openSubscriber(client: RedisClient): RedisClient {
    // Same topology and options as the command connection (Cluster, Sentinel or one server). On one server or
    // Sentinel, ioredis' own resubscription after a reconnect is off: it sends SUBSCRIBE without handling the
    // answer, so a connection lost again before that answer rejected a promise nobody awaited (an unhandled
    // rejection, fatal for the process). The 'ready' handler below subscribes again itself, and handles failures.
    const subscriber = client instanceof Cluster ? client.duplicate() : client.duplicate({ autoResubscribe: false });
    // Outages are judged and logged by the command connection; this listener only keeps an 'error' event
    // from crashing the process.
    subscriber.on('error', () => undefined);
    subscriber.on('close', () => this.confirmed.clear());
    subscriber.on('ready', () => {
      for (const channel of this.handlers.keys()) void this.confirm(channel);
    });
    subscriber.on('message', (channel: string, message: string) => this.handlers.get(channel)?.(message));
    return subscriber;
  }

  private async confirm(channel: string): Promise<void> {
    try {
      await this.subscriber?.subscribe(channel);
      this.confirmed.add(channel);
      if ([...this.handlers.keys()].every((c) => this.confirmed.has(c))) {
        for (const resolve of this.onConfirmed) resolve();
      }
    } catch {
      // Not connected after all: the next 'ready' subscribes again.
    }
  }

  private async allConfirmed(waitMs: number): Promise<void> {
    if (!this.subscriber || waitMs <= 0 || [...this.handlers.keys()].every((c) => this.confirmed.has(c))) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.onConfirmed.delete(done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.onConfirmed.add(done);
    });
  }

  /** Whether commands should be sent now (callers skip Redis otherwise, without waiting). */
  get available(): boolean {
    return this.client?.status === 'ready' && !this.failing && !this.closing;
  }

  get state(): { configured: boolean; mode?: string; connection: string; commands?: string; lastError?: string } {
    if (!this.client) return { configured: false, connection: 'not configured' };
    return {
      configured: true,
      mode: this.config.redis?.mode,
      connection: this.client.status,
      ...(this.failing && { commands: 'failing (probing until a PING answers)' }),
      ...(this.lastError && { lastError: this.lastError }),
    };
  }

  /**
   * Repositories call this when a command failed. One failure may be a one-off (a slow command): a PING
   * decides whether Redis is unavailable, and only one probe runs at a time.
   */
  commandFailed(error: unknown): void {
    if (!this.client || this.probing || this.closing) return;
    this.probing = true;
    const reason = error instanceof Error ? error.message : String(error);
    void this.probe(reason).finally(() => {
      this.probing = false;
    });
  }

  private async probe(reason: string): Promise<void> {
    if (await this.ping()) return;
    this.failing = true;
    this.markDown(reason);
    while (!this.closing && this.failing) {
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS).unref());
      if (this.client?.status === 'ready' && (await this.ping())) {
        this.failing = false;
        this.markUp();
      }
    }
  }

  private async ping(): Promise<boolean> {
    try {
      await this.client?.ping();
      return true;
    } catch {
      return false;
    }
  }

  private markDown(reason: string, cause = true): void {
    if (this.closing) return;
    if (cause || !this.down) this.lastError = reason.slice(0, 200);
    if (this.down) return;
    this.down = true;
    this.logger.warn({ reason: this.lastError, mode: this.config.redis?.mode, keyPrefix: this.config.cache.keyPrefix }, 'Redis is unavailable: searches bypass the cache and usage is counted in-process until it is back');
  }

  private markUp(): void {
    if (!this.down || this.failing) return;
    this.down = false;
    this.logger.info({ mode: this.config.redis?.mode, keyPrefix: this.config.cache.keyPrefix }, 'Redis is back: cache and shared usage counters resume');
  }

  /** SIGTERM (app.close()): close the connections, or drop them when Redis is unreachable, so exit is not held up. */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([this.closeSubscriber(), this.closeClient()]);
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    if (!client || client.status === 'end') return;
    if (client.status !== 'ready') {
      // Connecting or reconnecting: stop trying; there is no connection to wait for.
      client.disconnect();
      return;
    }
    const ended = new Promise<void>((resolve) => {
      client.once('end', resolve);
      setTimeout(resolve, SHUTDOWN_WAIT_MS).unref();
    });
    await client.quit().catch(() => client.disconnect());
    await ended;
  }

  /** A subscriber has nothing to flush: its connection is dropped at once. */
  private async closeSubscriber(): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber || subscriber.status === 'end') return;
    const ended = new Promise<void>((resolve) => {
      subscriber.once('end', resolve);
      setTimeout(resolve, SHUTDOWN_WAIT_MS).unref();
    });
    subscriber.disconnect();
    await ended;
  }
}
