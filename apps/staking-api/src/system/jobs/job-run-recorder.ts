import type { JobRunReport, JobRunSink } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service.js';
import { JobRunsRepository } from './job-runs.repository.js';
import { REPLICA_ID } from './replica-id.js';

/** The app's JobRunSink: each run goes to job_runs (+ job_states) and the job metrics. */
@Injectable()
export class JobRunRecorder implements JobRunSink {
  constructor(
    private readonly repository: JobRunsRepository,
    private readonly metrics: MetricsService,
    @Inject(REPLICA_ID) private readonly replica: string,
  ) {}

  async record(run: JobRunReport): Promise<void> {
    const seconds = (run.ended_at.getTime() - run.started_at.getTime()) / 1000;
    this.metrics.observeJobRun(run.job, run.outcome, Math.max(0, seconds), run.items);
    await this.repository.record(run, this.replica);
  }

  skipped(job: string): void {
    this.metrics.observeJobSkipped(job);
  }
}
