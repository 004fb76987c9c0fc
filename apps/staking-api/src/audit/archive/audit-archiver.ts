import { AppConfigService, SecurityPolicy } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { AuditChainRepository } from '../audit-chain.repository.js';
import { AuditLogsRepository } from '../audit-logs.repository.js';
import { ChainWalker } from '../chain/audit-entry.js';
import { writeArchive } from './audit-archive-file.js';

const ENTRIES_PER_FILE = 10_000;
const DAY_MS = 24 * 3600 * 1000;

export interface ArchiveRun {
  archived: number;
  deleted: number;
  files: string[];
  anchor_seq: number;
}

/**
 * Retention: entries older than the policy's retention_days move to compressed JSONL files and
 * are then removed. Only a prefix of the chain is archived, so the live chain always starts
 * right after the anchor (the last archived seq and hash) and stays verifiable. Order per file:
 * write + fsync + rename → advance the anchor → delete; a crash at any point is finished by the
 * next run, and a second run finds nothing to do.
 */
@Injectable()
export class AuditArchiver {
  private readonly logger = new Logger('AuditArchive');

  constructor(
    private readonly chain: AuditChainRepository,
    private readonly logs: AuditLogsRepository,
    private readonly policy: SecurityPolicy,
    private readonly config: AppConfigService,
  ) {}

  get directory(): string {
    return resolve(this.config.get('AUDIT_ARCHIVE_DIR'));
  }

  async archiveExpired(now: Date): Promise<ArchiveRun> {
    const cutoff = new Date(now.getTime() - this.policy.file.audit.retention_days * DAY_MS);
    const run: ArchiveRun = { archived: 0, deleted: 0, files: [], anchor_seq: 0 };
    let head = await this.chain.head();
    // Finish a run that died after moving the anchor but before deleting (its last file's span).
    run.deleted += await this.logs.deleteRange(
      Math.max(1, head.archived_seq - ENTRIES_PER_FILE + 1),
      head.archived_seq,
      head.unpaged_through,
    );

    // The last seq to archive: everything before the first young entry, and never past the head.
    const firstYoung = await this.logs.firstAtOrAfter(
      head.archived_seq + 1,
      head.seq,
      cutoff,
      head.unpaged_through,
    );
    const through = Math.min(firstYoung === null ? head.seq : firstYoung - 1, head.seq);

    while (head.archived_seq < through) {
      const from = head.archived_seq + 1;
      const to = Math.min(through, from + ENTRIES_PER_FILE - 1);
      const entries = await this.logs.range(from, to, head.unpaged_through);
      const walker = new ChainWalker(head.archived_seq, head.archived_hash);
      for (const entry of entries) if (!walker.push(entry)) break;
      if (walker.broken || walker.lastSeq !== to) {
        // Never archive (and so bless) a broken chain: stop and let /audit/verify show where.
        this.logger.error(
          { break: walker.broken, from, to },
          'Audit chain broken; archival stopped',
        );
        break;
      }
      if (this.policy.file.audit.archive_before_delete)
        run.files.push(await writeArchive(this.directory, entries, head.archived_hash, now));
      if (!(await this.chain.advanceAnchor(head.archived_seq, to, walker.lastHash))) break;
      run.archived += entries.length;
      run.deleted += await this.logs.deleteRange(from, to, head.unpaged_through);
      head = await this.chain.head();
    }
    run.anchor_seq = head.archived_seq;
    return run;
  }
}
