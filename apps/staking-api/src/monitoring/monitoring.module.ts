import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { StuckOperationsJob } from './stuck-operations.job.js';

/** Background checks that raise alerts: stuck operations (resource monitoring comes here too). */
@Module({
  imports: [MetricsModule, OperationsModule, WebhooksModule],
  providers: [StuckOperationsJob],
})
export class MonitoringModule {}
