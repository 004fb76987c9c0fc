import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy } from '@app/common';
import { Injectable } from '@nestjs/common';
import { OperationsRepository } from '../operations/operations.repository.js';
import { WebhooksRepository } from '../webhooks/webhooks.repository.js';
import { DataMigrationsRepository } from './data-migrations.repository.js';
import { legacyDayBucket } from './legacy-day.js';

/** The name its completion is recorded under in `data_migrations`. */
export const LEGACY_BUCKETS_MIGRATION = 'legacy-buckets-v15';
const FIRST_RUN_DELAY_MS = 20_000;
const READ_BATCH = 1_000;

interface LegacyDelivery {
  id: string;
  created_at: Date;
}

/**
 * Once per database: gives records written before this version the bucket fields the newer
 * jobs find them by: settled operations get `settled_day` (the details cleanup), deliveries get
 * their place in the paged log (`log_seq`, `log_page`). (Pending deliveries without a `due`
 * bucket are refiled by the dispatcher itself.) Older settled days are filed under the first day the cleanup looks
 * at (legacyDayBucket). Legacy deliveries take the next places of their subscription's log, in
 * creation order: they show on the newest pages, after any queued since the upgrade.
 * Reads the operations and deliveries whole, in batches, so it runs only until its completion
 * is recorded in `data_migrations`: shortly after start, then an hourly check by `_id`. An
 * interrupted run (lease lost) is resumed by the next one; every step is conditional, so a
 * record is never filed twice.
 */
@Injectable()
export class LegacyBucketsBackfillJob extends LeaderJob {
  protected readonly name = 'legacy-buckets-backfill';
  protected readonly intervalMs = 60 * 60_000;
  protected readonly lockTtlMs = 5 * 60_000;

  constructor(
    lock: DistributedLock,
    private readonly config: AppConfigService,
    private readonly policy: SecurityPolicy,
    private readonly migrations: DataMigrationsRepository,
    private readonly operations: OperationsRepository,
    private readonly webhooks: WebhooksRepository,
  ) {
    super(lock, config);
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    if (!this.config.get('JOBS_ENABLED')) return;
    setTimeout(() => void this.runOnce().catch(() => undefined), FIRST_RUN_DELAY_MS).unref();
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    if (await this.migrations.completed(LEGACY_BUCKETS_MIGRATION)) return { pending: 0 };
    const operations = await this.fileSettledOperations(now);
    if (operations === null) return { aborted: 1 };
    const deliveries = await this.placeDeliveries();
    if (deliveries === null) return { operations, aborted: 1 };
    const result = { operations, ...deliveries };
    await this.migrations.complete(LEGACY_BUCKETS_MIGRATION, result, now);
    this.logger.warn({ job: this.name, ...result }, 'Records from before v15 filed in buckets');
    return { ...result, completed: 1 };
  }

  /** Settled operations without `settled_day` (and not pruned): filed for the details cleanup. */
  private async fileSettledOperations(now: Date): Promise<number | null> {
    const keep = this.policy.operationsPolicy.retention.operation_details_days;
    let filed = 0;
    for await (const op of this.operations.allSettlements(READ_BATCH)) {
      if (!this.leaseHeld) return null;
      if (!op.settled_at || op.settled_day || op.details_pruned_at) continue;
      const day = legacyDayBucket(op.settled_at, now, keep);
      if (await this.operations.fileSettled(op._id, op.settled_at, day)) filed++;
    }
    return filed;
  }

  /**
   * Deliveries without a log place get the next places of their subscription's log. Their ids
   * are held in memory to order them: at most the deliveries of the retention (30 days).
   */
  private async placeDeliveries(): Promise<{ log_placed: number } | null> {
    const unplaced = new Map<string, LegacyDelivery[]>();
    for await (const d of this.webhooks.allDeliveryPositions(READ_BATCH)) {
      if (!this.leaseHeld) return null;
      if (d.log_seq == null) {
        const list = unplaced.get(d.subscription_id) ?? [];
        list.push({ id: d._id, created_at: d.created_at });
        unplaced.set(d.subscription_id, list);
      }
    }
    let placed = 0;
    for (const [subscription, rows] of unplaced) {
      rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
      for (const row of rows) {
        if (!this.leaseHeld) return null;
        const seq = await this.webhooks.nextLogSeq(subscription);
        if (seq === null) break; // the subscription is gone: its log is not shown
        if (await this.webhooks.placeInLog(row.id, seq)) placed++;
      }
    }
    return { log_placed: placed };
  }
}
