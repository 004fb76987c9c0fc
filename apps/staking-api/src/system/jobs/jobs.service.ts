import { Inject, Injectable } from '@nestjs/common';
import type { JobListDto, JobViewDto } from './dto/job-view.dto.js';
import { JobRegistry } from './job-registry.js';
import { JobRunsRepository } from './job-runs.repository.js';
import { REPLICA_ID } from './replica-id.js';

/** A job is late after this many intervals without a successful tick. */
export const LATE_AFTER_INTERVALS = 3;

@Injectable()
export class JobsService {
  constructor(
    private readonly registry: JobRegistry,
    private readonly runs: JobRunsRepository,
    @Inject(REPLICA_ID) private readonly replica: string,
  ) {}

  /** One state lookup by _id per job: a fixed, small number of equality reads. */
  async list(now = new Date()): Promise<JobListDto> {
    const items: JobViewDto[] = [];
    for (const job of this.registry.list()) {
      const state = await this.runs.state(job.name);
      const last = state?.last_run;
      const lastSuccess = state?.last_success_at ? new Date(state.last_success_at) : undefined;
      const late =
        job.enabled &&
        (!lastSuccess ||
          now.getTime() - lastSuccess.getTime() > LATE_AFTER_INTERVALS * job.interval_ms);
      items.push({
        name: job.name,
        interval_seconds: Math.round(job.interval_ms / 1000),
        lock_ttl_seconds: Math.round(job.lock_ttl_ms / 1000),
        enabled: job.enabled,
        is_leader: last?.replica === this.replica,
        ...(last
          ? {
              last_run: {
                run_id: last.run_id,
                replica: last.replica,
                started_at: new Date(last.started_at).toISOString(),
                ended_at: new Date(last.ended_at).toISOString(),
                duration_ms: last.duration_ms,
                outcome: last.outcome,
                items: last.items,
                errors: last.errors,
                ...(last.error_message ? { error_message: last.error_message } : {}),
              },
            }
          : {}),
        ...(lastSuccess ? { last_success_at: lastSuccess.toISOString() } : {}),
        late,
        runs_total: state?.runs_total ?? 0,
        failures_total: state?.failures_total ?? 0,
        consecutive_failures: state?.consecutive_failures ?? 0,
      });
    }
    return { replica: this.replica, items };
  }
}
