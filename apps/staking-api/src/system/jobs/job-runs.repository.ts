import { utcDay } from '@app/common';
import type { JobRunReport } from '@app/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { JobRun, JobState, type JobStateRecord, type LastRun } from './job-run.schema.js';

@Injectable()
export class JobRunsRepository {
  constructor(
    @InjectModel(JobRun.name) private readonly runs: Model<JobRun>,
    @InjectModel(JobState.name) private readonly states: Model<JobState>,
  ) {}

  /** Stores the run and folds it into the job's state document (one atomic update by _id). */
  async record(run: JobRunReport, replica: string): Promise<string> {
    const id = randomUUID();
    const duration = Math.max(0, run.ended_at.getTime() - run.started_at.getTime());
    await this.runs.create({
      _id: id,
      job: run.job,
      replica,
      started_at: run.started_at,
      ended_at: run.ended_at,
      duration_ms: duration,
      outcome: run.outcome,
      items: run.items,
      error_count: run.errors,
      result: run.result,
      ...(run.error_message ? { error_message: run.error_message } : {}),
      day: utcDay(run.started_at),
    });
    const last: LastRun = {
      run_id: id,
      replica,
      started_at: run.started_at,
      ended_at: run.ended_at,
      duration_ms: duration,
      outcome: run.outcome,
      items: run.items,
      errors: run.errors,
      ...(run.error_message ? { error_message: run.error_message } : {}),
    };
    const ok = run.outcome === 'ok';
    await this.states.updateOne(
      { _id: run.job },
      {
        $set: {
          last_run: last,
          ...(ok ? { last_success_at: run.ended_at, consecutive_failures: 0 } : {}),
        },
        $inc: {
          runs_total: 1,
          failures_total: ok ? 0 : 1,
          ...(ok ? {} : { consecutive_failures: 1 }),
        },
      },
      { upsert: true },
    );
    return id;
  }

  async state(job: string): Promise<JobStateRecord | null> {
    const doc = await this.states.findById(job).lean<JobState>();
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { job: _id, ...rest };
  }

  /** The runs of one job started on one UTC day, at most `limit` (equality on the day). */
  async runsOfDay(job: string, day: string, limit: number): Promise<JobRun[]> {
    return this.runs.find({ day, job }).limit(limit).lean<JobRun[]>();
  }

  async deleteDay(day: string): Promise<number> {
    return (await this.runs.deleteMany({ day })).deletedCount;
  }
}
