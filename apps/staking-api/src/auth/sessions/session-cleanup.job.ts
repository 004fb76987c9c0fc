import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { Injectable } from '@nestjs/common';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { SessionsRepository } from './sessions.repository.js';

export const SESSION_CLEANUP_INTERVAL_MS = 60 * 60 * 1000;
// Spent/expired rows stay a day longer, so a late reuse of a token is still recognised as reuse.
const GRACE_MS = 24 * 60 * 60 * 1000;

/** Deletes expired refresh tokens and sessions (FerretDB has no TTL indexes). */
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
    const cutoff = new Date(now.getTime() - GRACE_MS);
    const tokens = await this.refreshTokens.deleteExpiredBefore(cutoff);
    const sessions = await this.sessions.deleteExpiredBefore(cutoff);
    return { deleted_refresh_tokens: tokens, deleted_sessions: sessions };
  }
}
