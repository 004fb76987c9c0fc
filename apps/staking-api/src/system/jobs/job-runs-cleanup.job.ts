import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy, utcDay } from '@app/common';
import { Injectable } from '@nestjs/common';
import { JobRunsRepository } from './job-runs.repository.js';

const DAY_MS = 86_400_000;
/** Days past the retention looked at per run; older ones (the job was off longer) stay. */
export const JOB_RUNS_CLEANUP_WINDOW_DAYS = 30;

/** Hourly: deletes job runs older than the retention, one equality delete per UTC day. */
@Injectable()
export class JobRunsCleanupJob extends LeaderJob {
  protected readonly name = 'job-runs-cleanup';
  protected readonly intervalMs = 60 * 60 * 1000;
  protected readonly lockTtlMs = 5 * 60 * 1000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly runs: JobRunsRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const keep = this.policy.operationsPolicy.retention.job_runs_days;
    let deleted = 0;
    for (let i = 0; i < JOB_RUNS_CLEANUP_WINDOW_DAYS; i++)
      deleted += await this.runs.deleteDay(
        utcDay(new Date(now.getTime() - (keep + 1 + i) * DAY_MS)),
      );
    return { deleted };
  }
}
