import { NodeCallPolicy, type CircuitState } from '@app/tron';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from './metrics.service.js';

const CIRCUIT_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/**
 * Node metrics: every logical call through the node-call policy (retries included), by outcome,
 * and the circuit state read at scrape time. No endpoint label: the policy sees calls, not
 * endpoints (the gateway would have to name each; a follow-up).
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
      help: 'Calls to the TRON node by outcome (ok | error | rate_limited | circuit_open).',
      labelNames: ['outcome'] as const,
      registers,
    });
    const duration = new Histogram({
      name: 'staking_tron_node_call_duration_seconds',
      help: 'Wall time of one call to the TRON node, its retries included.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    for (const outcome of ['ok', 'error', 'rate_limited', 'circuit_open'])
      calls.inc({ outcome }, 0);
    const policy = this.policy;
    new Gauge({
      name: 'staking_tron_circuit_state',
      help: 'Circuit breaker in front of the TRON node: 0 closed, 1 half open, 2 open.',
      registers,
      collect() {
        this.set(CIRCUIT_VALUE[policy.circuitState]);
      },
    });
    this.policy.observe((outcome, seconds) => {
      calls.inc({ outcome });
      duration.observe(seconds);
    });
  }
}
