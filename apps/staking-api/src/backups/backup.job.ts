import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy } from '@app/common';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { pruneBackups, writeBackup } from './backup-file.js';

/**
 * Scheduled logical backup of every collection to BACKUP_DIR (gzip JSONL), then keeps the
 * newest operations.backup.keep files. Runs on one replica; every replica mounts the same
 * BACKUP_DIR volume. Restore: `npm run cli -- backup:restore <file>` into an empty database.
 */
@Injectable()
export class BackupJob extends LeaderJob {
  protected readonly name = 'backup';
  protected readonly intervalMs: number;
  protected readonly lockTtlMs = 30 * 60 * 1000;

  constructor(
    lock: DistributedLock,
    private readonly config: AppConfigService,
    private readonly policy: SecurityPolicy,
    @InjectConnection() private readonly db: Connection,
  ) {
    super(lock, config);
    this.intervalMs = policy.operationsPolicy.backup.interval_hours * 3_600_000;
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const dir = this.config.get('BACKUP_DIR');
    const result = await writeBackup(this.db, dir, now);
    const pruned = await pruneBackups(dir, this.policy.operationsPolicy.backup.keep);
    this.logger.log({ file: result.file, documents: result.documents }, 'Backup written');
    return { collections: result.collections, documents: result.documents, pruned };
  }
}
