import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { OPERATION_SETTLED, type OperationSettledEvent } from '../operations/operation-events.js';
import { MetricsService } from './metrics.service.js';

@Injectable()
export class OperationMetricsListener {
  constructor(private readonly metrics: MetricsService) {}

  @OnEvent(OPERATION_SETTLED, { suppressErrors: true })
  onSettled({ operation }: OperationSettledEvent): void {
    const seconds = (Date.now() - new Date(operation.created_at).getTime()) / 1000;
    this.metrics.observeSettled(operation.kind, operation.state, Math.max(0, seconds));
    if (operation.state === 'confirmed' && operation.included_at && operation.confirmed_at) {
      const lag =
        (new Date(operation.confirmed_at).getTime() - new Date(operation.included_at).getTime()) /
        1000;
      this.metrics.observeFinality(operation.kind, Math.max(0, lag));
    }
  }
}
