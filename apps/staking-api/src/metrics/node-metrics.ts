import { NODE_ENDPOINTS, NodeCallPolicy, type CircuitState } from '@app/tron';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from './metrics.service.js';

const CIRCUIT_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/**
 * Node metrics: every logical call through the node-call policy (retries included), by the
 * wallet API path it reached (the gateway names each; a fixed list, `other` for the rest) and
 * outcome, and the circuit state read at scrape time.
 */
@Injectable()
export class NodeMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly policy: NodeCallPolicy,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const calls = new Counter({
      name: 'staking_tron_node_calls_total',
      help: 'Calls to the TRON node by wallet API endpoint and outcome (ok | error | rate_limited | circuit_open).',
      labelNames: ['endpoint', 'outcome'] as const,
      registers,
    });
    const duration = new Histogram({
      name: 'staking_tron_node_call_duration_seconds',
      help: 'Wall time of one call to the TRON node, its retries included, by wallet API endpoint.',
      labelNames: ['endpoint'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    // Every series from zero, so rate() and the alert rules see an endpoint before its first error.
    for (const endpoint of NODE_ENDPOINTS)
      for (const outcome of ['ok', 'error', 'rate_limited', 'circuit_open'])
        calls.inc({ endpoint, outcome }, 0);
    const policy = this.policy;
    new Gauge({
      name: 'staking_tron_circuit_state',
      help: 'Circuit breaker in front of the TRON node: 0 closed, 1 half open, 2 open.',
      registers,
      collect() {
        this.set(CIRCUIT_VALUE[policy.circuitState]);
      },
    });
    this.policy.observe((outcome, seconds, endpoint) => {
      calls.inc({ endpoint, outcome });
      duration.observe({ endpoint }, seconds);
    });
  }
}
