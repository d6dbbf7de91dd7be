import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { createRedisClient, type RedisClient } from './redis-client';

const STARTUP_WAIT_MS = 2000;

/**
 * The Redis connection, when one is configured, and its health. Errors never escape: callers treat a
 * failed command as a cache miss or fall back to in-process counting. An outage is logged once when it
 * starts and once when it ends, not once per request.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  readonly client: RedisClient | undefined;
  private down = false;
  private lastError = '';

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectPinoLogger('redis') private readonly logger: PinoLogger,
  ) {
    if (!config.redis) {
      logger.warn('REDIS_URL is not set: cache and usage counters are in-process (correct for one instance only)');
      return;
    }
    this.client = createRedisClient(config.redis);
    this.client.on('error', (e: Error) => this.markDown(e.message));
    this.client.on('end', () => this.markDown('connection ended'));
    this.client.on('close', () => this.markDown('connection closed'));
    this.client.on('ready', () => {
      if (this.down) this.logger.info({ mode: config.redis?.mode }, 'Redis is back: cache and shared usage counters resume');
      this.down = false;
    });
  }

  /**
   * Gives Redis a moment to connect before the first request, so a freshly started instance shares the
   * cache and the usage counts from its first search. A Redis that is down does not delay start-up more.
   */
  async onModuleInit(): Promise<void> {
    const client = this.client;
    if (!client || client.status === 'ready') return;
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

  /** Whether commands can be sent now (they fail fast otherwise). */
  get available(): boolean {
    return this.client?.status === 'ready';
  }

  get state(): { configured: boolean; connection: string; lastError?: string } {
    if (!this.client) return { configured: false, connection: 'not configured' };
    return { configured: true, connection: this.client.status, ...(this.lastError && { lastError: this.lastError }) };
  }

  private markDown(reason: string): void {
    this.lastError = reason.slice(0, 200);
    if (this.down) return;
    this.down = true;
    this.logger.warn({ reason: this.lastError }, 'Redis is unavailable: searches bypass the cache and usage is counted in-process until it is back');
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    this.client.removeAllListeners('close');
    this.client.removeAllListeners('end');
    await this.client.quit().catch(() => this.client?.disconnect());
  }
}
