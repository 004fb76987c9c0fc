import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy } from '@app/common';
import { Injectable } from '@nestjs/common';
import { ApprovalsRepository, ENDED_APPROVAL_STATUSES } from '../approvals/approvals.repository.js';
import {
  IncidentsRepository,
  incidentCountOf,
} from '../compliance/incidents/incidents.repository.js';
import {
  StateCountersRepository,
  type CounterScope,
} from '../state-counters/state-counters.repository.js';
import { legacyDayBucket } from './legacy-day.js';

export const STATE_COUNTERS_REPAIR_INTERVAL_MS = 60 * 60_000;
const FIRST_RUN_DELAY_MS = 15_000;
const READ_BATCH = 1_000;

const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => (a[k] ?? 0) === (b[k] ?? 0));

const bump = (counts: Record<string, number>, key: string | undefined) => {
  if (key) counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Recounts the maintained per-state counts (`state_counters`: approvals by status, incidents by
 * `<status>_<severity>`) from the approvals and incidents themselves. Each state change adds
 * its ±1 after the change is stored, so a crash in between leaves a drift, and records from
 * before the counters existed were never counted. In the same pass it files ended approvals
 * from before `ended_day` existed, so the ended-approvals cleanup finds them.
 * With the staking recount, the one job that reads whole collections: hourly, and shortly after
 * start when a scope was never counted. A scope's document is overwritten only on drift and
 * only if no increment landed since it was read ("busy" otherwise: the next run tries again).
 * Known limit: a change whose increment is still in flight when the recount is written is
 * counted twice until the next run.
 */
@Injectable()
export class StateCountersRepairJob extends LeaderJob {
  protected readonly name = 'state-counters-repair';
  protected readonly intervalMs = STATE_COUNTERS_REPAIR_INTERVAL_MS;
  protected readonly lockTtlMs = 5 * 60_000;

  constructor(
    lock: DistributedLock,
    private readonly config: AppConfigService,
    private readonly policy: SecurityPolicy,
    private readonly approvals: ApprovalsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly counters: StateCountersRepository,
  ) {
    super(lock, config);
  }

  /** A database whose approvals or incidents were never counted (an upgrade) is counted soon. */
  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    if (!this.config.get('JOBS_ENABLED')) return;
    setTimeout(() => {
      void this.counters
        .counted()
        .then((counted) => (counted ? undefined : this.runOnce()))
        .catch(() => undefined);
    }, FIRST_RUN_DELAY_MS).unref();
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    // Read before the records: an increment after this read makes the overwrite "busy".
    const stored = {
      approvals: await this.counters.snapshot('approvals'),
      incidents: await this.counters.snapshot('incidents'),
    };
    const recount: Record<CounterScope, Record<string, number>> = { approvals: {}, incidents: {} };
    const keep = this.policy.operationsPolicy.retention.ended_approvals_days;
    let approvals = 0;
    let filed = 0;
    for await (const a of this.approvals.allStates(READ_BATCH)) {
      if (!this.leaseHeld) return { approvals, filed, aborted: 1 };
      approvals++;
      bump(recount.approvals, a.status);
      if (ENDED_APPROVAL_STATUSES.includes(a.status) && !a.ended_day) {
        const day = legacyDayBucket(a.updated_at, now, keep);
        if (await this.approvals.fileEnded(a.id, a.status, day)) filed++;
      }
    }
    let incidents = 0;
    for await (const i of this.incidents.allStates(READ_BATCH)) {
      if (!this.leaseHeld) return { approvals, filed, incidents, aborted: 1 };
      incidents++;
      bump(recount.incidents, incidentCountOf(i.status, i.severity));
    }
    let drifted = 0;
    let repaired = 0;
    let busy = 0;
    for (const scope of ['approvals', 'incidents'] as const) {
      const have = stored[scope];
      if (have.version !== null && sameCounts(have.counts, recount[scope])) continue;
      drifted++;
      // Every state a count was ever kept for stays as a field (0 when none is left).
      const want = Object.fromEntries(
        Object.keys({ ...have.counts, ...recount[scope] }).map((k) => [k, recount[scope][k] ?? 0]),
      );
      if (await this.counters.overwrite(scope, have.version, want)) repaired++;
      else busy++;
      this.logger.warn(
        { job: this.name, scope, stored: have.counts, recounted: want },
        'State counters drifted: recounted',
      );
    }
    return { approvals, incidents, filed, drifted, repaired, busy };
  }
}
