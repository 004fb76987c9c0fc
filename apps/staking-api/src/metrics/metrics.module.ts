import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { NodeMetrics } from './node-metrics.js';
import { OperationMetricsListener } from './operation-metrics.listener.js';

@Module({
  controllers: [MetricsController],
  providers: [MetricsService, OperationMetricsListener, NodeMetrics],
  exports: [MetricsService],
})
export class MetricsModule {}
