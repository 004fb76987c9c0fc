import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { Injectable } from '@nestjs/common';
import { AuditArchiver } from './audit-archiver.js';

export const AUDIT_RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** Hourly, on one replica: archive and remove audit entries past the policy's retention. */
@Injectable()
export class AuditRetentionJob extends LeaderJob {
  protected readonly name = 'audit-retention';
  protected readonly intervalMs = AUDIT_RETENTION_INTERVAL_MS;
  protected readonly lockTtlMs = 30 * 60 * 1000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly archiver: AuditArchiver,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const run = await this.archiver.archiveExpired(now);
    return {
      archived: run.archived,
      deleted: run.deleted,
      files: run.files.length,
      anchor_seq: run.anchor_seq,
    };
  }
}
