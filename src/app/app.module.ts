import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthModule } from '../auth/auth.module';
import { CacheModule } from '../cache/cache.module';
import type { AppConfig } from '../config/app-config';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter';
import { HealthModule } from '../health/health.module';
import { LedgerModule } from '../ledger/ledger.module';
import { LoggingModule } from '../logging/logging.module';
import { setMemoryBudget } from '../memo/memory-budget';
import { MetricsModule } from '../metrics/metrics.module';
import { NumbersModule } from '../numbers/numbers.module';
import { OffersModule } from '../offers/offers.module';
import { OrdersModule } from '../orders/orders.module';
import { MemoisedValidationPipe } from '../numbers/validation/memoised-validation.pipe';
import { validationExceptionFactory } from '../numbers/validation/validation-exception.factory';
import type { ProviderDefinition } from '../providers/provider-definition';
import { RedisModule } from '../redis/redis.module';
import { TakenNumbersModule } from '../taken-numbers/taken-numbers.module';
import { TracingModule } from '../tracing/tracing.module';
import { UsageModule } from '../usage/usage.module';
import { CarriersModule } from './carriers.module';
import { ConfigModule } from './config.module';

export interface AppModuleOptions {
  /** Where log lines go (stdout when absent); tests capture them. */
  logStream?: DestinationStream;
}

/**
 * The root module: every concern's module, the carriers' composition, and the global guard, pipe and
 * exception filter (the one place that writes error bodies).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig<ProviderDefinition>, options: AppModuleOptions = {}): DynamicModule {
    // Before any memo is built (the validation pipe below is one): they all share MEMORY_BUDGET_MB.
    if (config.memory.budgetBytes !== undefined) setMemoryBudget(config.memory.budgetBytes);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config, options.logStream),
        TracingModule,
        MetricsModule,
        RedisModule,
        CacheModule,
        UsageModule,
        AuthModule,
        LedgerModule,
        OffersModule,
        TakenNumbersModule,
        CarriersModule,
        NumbersModule,
        OrdersModule,
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
