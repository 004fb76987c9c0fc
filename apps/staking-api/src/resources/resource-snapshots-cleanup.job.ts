import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy, utcDay } from '@app/common';
import { Injectable } from '@nestjs/common';
import { ResourceSnapshotsRepository } from './resource-snapshots.repository.js';

const DAY_MS = 86_400_000;
/** Days past the retention looked at per run (a stopped cleanup catches up this far). */
export const SNAPSHOT_CLEANUP_WINDOW_DAYS = 30;

/** Hourly: deletes the snapshot days past the retention, by the `day` equality. */
@Injectable()
export class ResourceSnapshotsCleanupJob extends LeaderJob {
  protected readonly name = 'resource-snapshots-cleanup';
  protected readonly intervalMs = 60 * 60 * 1000;
  protected readonly lockTtlMs = 5 * 60 * 1000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly snapshots: ResourceSnapshotsRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const keep = this.policy.resourcesPolicy.snapshots.retention_days;
    let deleted = 0;
    for (let i = 0; i < SNAPSHOT_CLEANUP_WINDOW_DAYS; i++)
      deleted += await this.snapshots.deleteDay(
        utcDay(new Date(now.getTime() - (keep + 1 + i) * DAY_MS)),
      );
    return { deleted };
  }
}
