import { AllExceptionsFilter, CommonModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SystemModule } from './system/system.module.js';

@Module({
  imports: [CommonModule, DatabaseModule, HealthModule, MetricsModule, SystemModule],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
export class AppModule {}
