import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { endedBuckets } from '@app/database';
import { Injectable } from '@nestjs/common';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { SessionsRepository } from './sessions.repository.js';

export const SESSION_CLEANUP_INTERVAL_MS = 60 * 60 * 1000;
/**
 * Ended hour buckets looked at per run. Rows of older buckets (the job was off longer than
 * this) or without one (written before buckets) stay; expiry is checked at use anyway.
 */
export const SESSION_CLEANUP_WINDOW_HOURS = 7 * 24;

/**
 * Deletes expired refresh tokens and sessions a day after their expiry (FerretDB has no TTL
 * indexes), one equality delete per ended hour bucket.
 */
@Injectable()
export class SessionCleanupJob extends LeaderJob {
  protected readonly name = 'session-cleanup';
  protected readonly intervalMs = SESSION_CLEANUP_INTERVAL_MS;
  protected readonly lockTtlMs = 5 * 60 * 1000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly sessions: SessionsRepository,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    let tokens = 0;
    let sessions = 0;
    for (const bucket of endedBuckets(now, SESSION_CLEANUP_WINDOW_HOURS)) {
      tokens += await this.refreshTokens.deleteBucket(bucket);
      sessions += await this.sessions.deleteBucket(bucket);
    }
    return { deleted_refresh_tokens: tokens, deleted_sessions: sessions };
  }
}
