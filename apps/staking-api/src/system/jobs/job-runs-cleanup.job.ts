import {
  AppConfigService,
  DistributedLock,
  RetentionCleanupJob,
  SecurityPolicy,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { JobRunsRepository } from './job-runs.repository.js';

/** Hourly: deletes job runs older than the retention, one equality delete per UTC day. */
@Injectable()
export class JobRunsCleanupJob extends RetentionCleanupJob {
  protected readonly name = 'job-runs-cleanup';

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly runs: JobRunsRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected retentionDays(): number {
    return this.policy.operationsPolicy.retention.job_runs_days;
  }

  protected cleanDay(day: string): Promise<number> {
    return this.runs.deleteDay(day);
  }
}
