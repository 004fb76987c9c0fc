import { AppConfigService } from '../config/app-config.service.js';
import { DistributedLock } from '../lock/distributed-lock.js';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MaintenanceWindows } from '../maintenance/maintenance-windows.js';
import { summariseResult, type JobDescription, type JobRunSink } from './job-run-sink.js';

/**
 * A scheduled job that runs on one replica per tick: each tick takes a Redis lease lock named
 * after the job, renewed every third of `lockTtlMs` while the tick works, so a replica dying
 * mid-run frees it after at most `lockTtlMs` and a long tick never loses it by running long.
 * A tick whose renewal fails must stop: `leaseHeld` turns false. Off when JOBS_ENABLED is
 * false (tests, extra replicas); `runOnce` lets a test drive it. Each job must be idempotent.
 * Every tick that took the lock is reported to the attached JobRunSink (job_runs + metrics).
 */
export abstract class LeaderJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly name: string;
  protected abstract readonly intervalMs: number;
  protected abstract readonly lockTtlMs: number;
  /** Jobs that move funds (broadcast transfers, freezes, votes, claims) pause in maintenance windows. */
  protected readonly movesFunds: boolean = false;
  protected readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;
  private held = false;
  private sink: JobRunSink | undefined;
  private maintenance: MaintenanceWindows | undefined;

  constructor(
    private readonly lock: DistributedLock,
    private readonly jobConfig: AppConfigService,
  ) {}

  protected abstract work(now: Date): Promise<Record<string, unknown>>;

  /** Called once at start-up by the job registry; a job without a sink just runs. */
  attachRunSink(sink: JobRunSink): void {
    this.sink = sink;
  }

  /** Called once at start-up by the job registry, for jobs that move funds. */
  attachMaintenance(windows: MaintenanceWindows): void {
    this.maintenance = windows;
  }

  describe(): JobDescription {
    return {
      name: this.name,
      interval_ms: this.intervalMs,
      lock_ttl_ms: this.lockTtlMs,
      enabled: this.jobConfig.get('JOBS_ENABLED'),
      moves_funds: this.movesFunds,
    };
  }

  onApplicationBootstrap(): void {
    if (!this.jobConfig.get('JOBS_ENABLED')) return;
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** False once this tick's lease could not be renewed: another replica may have the job now. */
  protected get leaseHeld(): boolean {
    return this.held;
  }

  /** One tick: `{ ran: false }` when another replica holds the lock. */
  async runOnce(
    now: Date = new Date(),
  ): Promise<{ ran: boolean; result?: Record<string, unknown>; paused?: true }> {
    if (this.movesFunds && this.maintenance?.current(now)) {
      this.logger.debug({ job: this.name }, 'Tick skipped: maintenance window');
      return { ran: false, paused: true };
    }
    try {
      const outcome = await this.lock.runExclusive(
        `job:${this.name}`,
        this.lockTtlMs,
        async (lease) => {
          this.held = true;
          const renewal = setInterval(
            () => {
              lease.extend(this.lockTtlMs).then(
                (ok) => (this.held &&= ok),
                () => (this.held = false),
              );
            },
            Math.max(Math.floor(this.lockTtlMs / 3), 100),
          );
          renewal.unref();
          const startedAt = new Date();
          try {
            const result = await this.work(now);
            await this.report(startedAt, 'ok', result);
            return result;
          } catch (error) {
            await this.report(startedAt, 'failed', {}, error);
            throw error;
          } finally {
            clearInterval(renewal);
            this.held = false;
          }
        },
      );
      if (!outcome.ran) this.sink?.skipped(this.name);
      if (outcome.ran) {
        // Idle ticks (every counter 0) every few seconds would drown the log: debug level for those.
        const idle = Object.values(outcome.result ?? {}).every((v) => v === 0);
        this.logger[idle ? 'debug' : 'log'](
          { job: this.name, ...outcome.result },
          'Job run finished',
        );
      }
      return outcome;
    } catch (error) {
      this.logger.error({ job: this.name, err: error }, 'Job run failed');
      throw error;
    }
  }

  /** Reports the tick; a failing sink is logged and never fails or repeats the tick. */
  private async report(
    startedAt: Date,
    outcome: 'ok' | 'failed',
    result: Record<string, unknown>,
    error?: unknown,
  ): Promise<void> {
    if (!this.sink) return;
    const { items, errors } = summariseResult(result);
    try {
      await this.sink.record({
        job: this.name,
        started_at: startedAt,
        ended_at: new Date(),
        outcome,
        items,
        errors: outcome === 'failed' ? Math.max(errors, 1) : errors,
        result,
        ...(error
          ? {
              error_message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
            }
          : {}),
      });
    } catch (sinkError) {
      this.logger.warn({ job: this.name, err: sinkError }, 'Job run could not be recorded');
    }
  }
}
