import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per app instance (tests boot several in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly settled = new Counter({
    name: 'staking_operations_settled_total',
    help: 'On-chain operations that reached a final state, by kind and state.',
    labelNames: ['kind', 'state'] as const,
    registers: [this.registry],
  });
  private readonly settleTime = new Histogram({
    name: 'staking_operation_settle_seconds',
    help: 'Wall time from an operation being requested to its final state, by kind.',
    labelNames: ['kind'] as const,
    buckets: [1, 3, 6, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  private readonly finality = new Histogram({
    name: 'staking_operation_finality_seconds',
    help: 'Wall time from the service seeing a transaction in a block to seeing that block solidified, by kind.',
    labelNames: ['kind'] as const,
    buckets: [3, 10, 30, 60, 90, 120, 300, 900],
    registers: [this.registry],
  });

  private readonly policyActions = new Counter({
    name: 'energy_policy_actions_total',
    help: 'Operations the energy top-up job created, by action (top_up, reclaim).',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  private readonly poolDry = new Counter({
    name: 'energy_policy_pool_dry_total',
    help: "Times an energy top-up policy's pool could not cover a top-up (counted once per episode), by resource.",
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }

  observeSettled(kind: string, state: string, seconds: number): void {
    this.settled.inc({ kind, state });
    this.settleTime.observe({ kind }, seconds);
  }

  observeFinality(kind: string, seconds: number): void {
    this.finality.observe({ kind }, seconds);
  }

  observePolicyAction(action: 'top_up' | 'reclaim'): void {
    this.policyActions.inc({ action });
  }

  observePoolDry(resource: string): void {
    this.poolDry.inc({ resource });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
