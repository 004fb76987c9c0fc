import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { StateCountersRepository } from '../state-counters/state-counters.repository.js';
import { MetricsService } from './metrics.service.js';

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const OPEN_STATUSES = ['open', 'acknowledged'] as const;

/**
 * Approvals pending and incidents not yet resolved, read at scrape time from the maintained
 * counters (one lookup by `_id` each), never counted over the collections. A counter that
 * cannot be read leaves the gauge at its last value rather than failing the scrape.
 */
@Injectable()
export class StateMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly counters: StateCountersRepository,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const counters = this.counters;
    new Gauge({
      name: 'staking_approvals_pending',
      help: 'Approvals waiting for decisions (status pending), from the maintained counters.',
      registers,
      async collect() {
        const c = await counters.read('approvals').catch(() => null);
        if (c) this.set(Math.max(0, c.pending ?? 0));
      },
    });
    new Gauge({
      name: 'staking_incidents_open',
      help: 'Compliance incidents not resolved, by severity and status (open | acknowledged), from the maintained counters.',
      labelNames: ['severity', 'status'] as const,
      registers,
      async collect() {
        const c = await counters.read('incidents').catch(() => null);
        if (!c) return;
        for (const severity of SEVERITIES)
          for (const status of OPEN_STATUSES)
            this.set({ severity, status }, Math.max(0, c[`${status}_${severity}`] ?? 0));
      },
    });
  }
}
