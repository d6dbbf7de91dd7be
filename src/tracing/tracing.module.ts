import { Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { SecretScrubber } from '../secrets/secret-scrubber';
import { startTracing } from './start-tracing';
import { NO_TRACING, type Tracing } from './tracing';

/**
 * Starts trace export with the application (before it listens) and ends it after the server closed, so
 * the spans of the last requests are exported. Export trouble is logged when it starts and when it ends,
 * never once per batch.
 */
@Injectable()
export class TracingService implements OnModuleInit, OnApplicationShutdown {
  private tracing: Tracing = NO_TRACING;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scrubber: SecretScrubber,
    @InjectPinoLogger('tracing') private readonly logger: PinoLogger,
  ) {}

  get enabled(): boolean {
    return this.tracing.enabled;
  }

  async onModuleInit(): Promise<void> {
    this.tracing = await startTracing(this.config.tracing, this.scrubber, {
      started: (description) => this.logger.info(`tracing: ${description}`),
      failed: (reason, spans) =>
        this.logger.warn({ spans, reason }, `tracing: exporting spans failed (${reason}); spans are dropped until the collector answers again`),
      recovered: () => this.logger.info('tracing: exporting spans works again'),
      unflushed: (waitedMs) => this.logger.warn({ waitedMs }, `tracing: the last spans were not exported within ${waitedMs} ms of shutdown`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const tracing = this.tracing;
    this.tracing = NO_TRACING;
    await tracing.shutdown();
  }
}

/** Tracing for the whole application; the request hooks are installed by the composition (configureApp). */
@Global()
@Module({ providers: [TracingService], exports: [TracingService] })
export class TracingModule {}
