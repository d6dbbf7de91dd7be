import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { LedgerIndicator } from './ledger.indicator';
import { ProvidersIndicator } from './providers.indicator';
import { READINESS_CONTRIBUTORS } from './readiness';
import { RedisIndicator } from './redis.indicator';

@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [
    ProvidersIndicator,
    RedisIndicator,
    LedgerIndicator,
    {
      provide: READINESS_CONTRIBUTORS,
      inject: [ProvidersIndicator, RedisIndicator, LedgerIndicator],
      useFactory: (...contributors: unknown[]) => contributors,
    },
  ],
})
export class HealthModule {}
