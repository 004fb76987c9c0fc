import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** One tick of a leader job that took the lock. Deleted by day after the policy's retention. */
@Schema({ collection: 'job_runs', versionKey: false })
export class JobRun {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true, index: true }) job: string;
  @Prop({ required: true }) replica: string;
  @Prop({ required: true }) started_at: Date;
  @Prop({ required: true }) ended_at: Date;
  @Prop({ required: true }) duration_ms: number;
  @Prop({ type: String, required: true }) outcome: 'ok' | 'failed';
  @Prop({ required: true }) items: number;
  /** The run's error count (`errors` is reserved by mongoose). */
  @Prop({ required: true }) error_count: number;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) result: Record<string, unknown>;
  @Prop() error_message?: string;
  /** UTC day of the start ("2026-12-02"): the cleanup job deletes by this equality. */
  @Prop({ required: true, index: true }) day: string;
}
export const JobRunSchema = SchemaFactory.createForClass(JobRun);

/**
 * The latest state of one job, kept up to date on every run (one document per job, `_id` = job
 * name): the jobs view reads these by equality instead of sorting job_runs.
 */
@Schema({ collection: 'job_states', versionKey: false })
export class JobState {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) last_run?: LastRun;
  @Prop() last_success_at?: Date;
  @Prop({ default: 0 }) runs_total: number;
  @Prop({ default: 0 }) failures_total: number;
  @Prop({ default: 0 }) consecutive_failures: number;
}
export const JobStateSchema = SchemaFactory.createForClass(JobState);

export interface LastRun {
  run_id: string;
  replica: string;
  started_at: Date;
  ended_at: Date;
  duration_ms: number;
  outcome: 'ok' | 'failed';
  items: number;
  errors: number;
  error_message?: string;
}

export interface JobStateRecord {
  job: string;
  last_run?: LastRun;
  last_success_at?: Date;
  runs_total: number;
  failures_total: number;
  consecutive_failures: number;
}
