import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The cache label of a key: its family, from a fixed list (keys carry addresses). */
export const CACHE_FAMILIES = [
  'staking_stats',
  'resource_info',
  'rewards',
  'witness_votes',
] as const;
function cacheFamily(key: string): string {
  const family = key.split(':')[0]!;
  return (CACHE_FAMILIES as readonly string[]).includes(family) ? family : 'other';
}

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
  // Jobs: the label is the job name, a fixed set of a few dozen at most.
  private readonly jobRuns = new Counter({
    name: 'staking_job_runs_total',
    help: 'Leader-job ticks this replica ran, by job and outcome (ok | failed).',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly jobDuration = new Histogram({
    name: 'staking_job_run_duration_seconds',
    help: 'Wall time of one leader-job tick, by job.',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
  private readonly jobItems = new Counter({
    name: 'staking_job_items_total',
    help: 'Work items leader-job ticks reported (sum of their counters), by job.',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });
  private readonly jobSkipped = new Counter({
    name: 'staking_job_ticks_skipped_total',
    help: 'Ticks this replica skipped because another replica held the job lock, by job.',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });
  private readonly jobLastSuccess = new Gauge({
    name: 'staking_job_last_success_timestamp_seconds',
    help: 'Unix time of the last successful tick this replica ran, by job.',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  // Webhooks: labelled by event type (a fixed list) and outcome, never by URL or subscription.
  private readonly webhookQueued = new Counter({
    name: 'staking_webhook_events_queued_total',
    help: 'Webhook deliveries written to the outbox, by event type.',
    labelNames: ['event_type'] as const,
    registers: [this.registry],
  });
  private readonly webhookAttempts = new Counter({
    name: 'staking_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts, by event type and outcome (delivered | retry | failed: attempts exhausted).',
    labelNames: ['event_type', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly stuckOperations = new Gauge({
    name: 'staking_operations_stuck',
    help: 'Operations broadcast but not confirmed past the policy threshold, at the last stuck-operations tick.',
    registers: [this.registry],
  });

  // Read cache: labelled by the key family (the part before ":"), never by the key itself.
  private readonly cacheLookups = new Counter({
    name: 'staking_cache_lookups_total',
    help: 'Read-cache lookups by key family (staking_stats, resource_info, rewards, witness_votes) and outcome (hit | miss | bypass: Redis away or slow).',
    labelNames: ['cache', 'outcome'] as const,
    registers: [this.registry],
  });

  // Addresses as labels for managed accounts only: their number is bounded by the operator.
  private readonly accountEnergy = new Gauge({
    name: 'staking_account_energy_available',
    help: 'Available energy of a managed account at its last resource refresh.',
    labelNames: ['address'] as const,
    registers: [this.registry],
  });
  private readonly accountEnergyLimit = new Gauge({
    name: 'staking_account_energy_limit',
    help: 'Energy limit of a managed account at its last resource refresh.',
    labelNames: ['address'] as const,
    registers: [this.registry],
  });
  private readonly accountBandwidth = new Gauge({
    name: 'staking_account_bandwidth_available',
    help: 'Available bandwidth (staked and free) of a managed account at its last resource refresh.',
    labelNames: ['address'] as const,
    registers: [this.registry],
  });
  private readonly accountEnergyFloor = new Gauge({
    name: 'staking_account_energy_floor',
    help: 'The low-energy alert floor of a managed account (0: no alert).',
    labelNames: ['address'] as const,
    registers: [this.registry],
  });
  private readonly resourceAlerts = new Counter({
    name: 'staking_resource_alerts_total',
    help: 'Low-resource alerts, by resource (energy, bandwidth) and transition (low, recovered).',
    labelNames: ['resource', 'transition'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.declareCaches();
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

  observeJobRun(job: string, outcome: 'ok' | 'failed', seconds: number, items: number): void {
    this.jobRuns.inc({ job, outcome });
    this.jobDuration.observe({ job }, seconds);
    if (items > 0) this.jobItems.inc({ job }, items);
    if (outcome === 'ok') this.jobLastSuccess.set({ job }, Date.now() / 1000);
  }

  observeJobSkipped(job: string): void {
    this.jobSkipped.inc({ job });
  }

  /** Declares a job's series at start-up, so dashboards and alerts see every job from zero. */
  declareJob(job: string): void {
    this.jobRuns.inc({ job, outcome: 'ok' }, 0);
    this.jobRuns.inc({ job, outcome: 'failed' }, 0);
    this.jobSkipped.inc({ job }, 0);
  }

  private declareCaches(): void {
    for (const cache of [...CACHE_FAMILIES, 'other'])
      for (const outcome of ['hit', 'miss', 'bypass']) this.cacheLookups.inc({ cache, outcome }, 0);
  }

  observeWebhookQueued(eventType: string, count: number): void {
    this.webhookQueued.inc({ event_type: eventType }, count);
  }

  observeWebhookAttempt(eventType: string, outcome: 'delivered' | 'retry' | 'failed'): void {
    this.webhookAttempts.inc({ event_type: eventType, outcome });
  }

  observeCacheLookup(key: string, outcome: 'hit' | 'miss' | 'bypass'): void {
    this.cacheLookups.inc({ cache: cacheFamily(key), outcome });
  }

  setAccountResources(
    address: string,
    levels: { energy: number; energyLimit: number; bandwidth: number; energyFloor: number },
  ): void {
    this.accountEnergy.set({ address }, levels.energy);
    this.accountEnergyLimit.set({ address }, levels.energyLimit);
    this.accountBandwidth.set({ address }, levels.bandwidth);
    this.accountEnergyFloor.set({ address }, levels.energyFloor);
  }

  observeResourceAlert(resource: string, transition: 'low' | 'recovered'): void {
    this.resourceAlerts.inc({ resource, transition });
  }

  setStuckOperations(count: number): void {
    this.stuckOperations.set(count);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
