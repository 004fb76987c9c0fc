/** What one tick of a leader job did, as the job-run log stores it. */
export interface JobRunReport {
  job: string;
  started_at: Date;
  ended_at: Date;
  outcome: 'ok' | 'failed';
  /** Sum of the numeric counters the tick returned (work items it looked at or changed). */
  items: number;
  /** The tick's own `errors`/`failed` counter, or 1 when the tick threw. */
  errors: number;
  result: Record<string, unknown>;
  /** The thrown error's message when the tick failed (never a stack, never a secret). */
  error_message?: string;
}

/** The static facts of a job, for the jobs view. */
export interface JobDescription {
  name: string;
  interval_ms: number;
  lock_ttl_ms: number;
  enabled: boolean;
  moves_funds: boolean;
}

/**
 * Where leader jobs report their ticks. Implemented by the app (job_runs collection + metrics)
 * and attached to every job at start-up, so a job needs no constructor change to be recorded.
 */
export interface JobRunSink {
  record(run: JobRunReport): Promise<void>;
  /** A tick found the lock held by another replica (not stored, only counted). */
  skipped(job: string): void;
}

/** Counters a tick result names as failures. */
const ERROR_KEYS = ['errors', 'failed', 'failures'];

export function summariseResult(result: Record<string, unknown>): {
  items: number;
  errors: number;
} {
  let items = 0;
  let errors = 0;
  for (const [key, value] of Object.entries(result)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (ERROR_KEYS.includes(key)) errors += value;
    else items += value;
  }
  return { items, errors };
}
