import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { ApiKeyGuard } from './auth/api-key.guard';
import type { AppConfig } from './config/app-config';
import type { ProviderDefinition } from './providers/provider-definition';
import { ConfigModule } from './config/config.module';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { CacheModule } from './cache/cache.module';
import { UsageModule } from './usage/usage.module';
import { NumbersModule } from './numbers/numbers.module';
import { MemoisedValidationPipe } from './numbers/validation/memoised-validation.pipe';
import { validationExceptionFactory } from './numbers/validation/validation-exception.factory';
import { ProvidersModule } from './providers/providers.module';

export interface AppModuleOptions {
  /** Where log lines go (stdout when absent); tests capture them. */
  logStream?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig<ProviderDefinition>, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config, options.logStream),
        MetricsModule,
        ProvidersModule,
        CacheModule,
        UsageModule,
        NumbersModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        {
          provide: APP_PIPE,
          useValue: new MemoisedValidationPipe({
            transform: true,
            whitelist: true,
            forbidNonWhitelisted: true,
            forbidUnknownValues: true,
            transformOptions: { enableImplicitConversion: false },
            validationError: { target: false, value: true },
            stopAtFirstError: true,
            exceptionFactory: validationExceptionFactory,
          }),
        },
      ],
    };
  }
}
