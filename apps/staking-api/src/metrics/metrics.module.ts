import { Module } from '@nestjs/common';
import { StateCountersModule } from '../state-counters/state-counters.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { NodeMetrics } from './node-metrics.js';
import { OperationMetricsListener } from './operation-metrics.listener.js';
import { StateMetrics } from './state-metrics.js';

@Module({
  imports: [StateCountersModule],
  controllers: [MetricsController],
  providers: [MetricsService, OperationMetricsListener, NodeMetrics, StateMetrics],
  exports: [MetricsService],
})
export class MetricsModule {}
