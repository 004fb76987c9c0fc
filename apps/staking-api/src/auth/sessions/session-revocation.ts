import { AuditTrail, SecurityAction, type Principal, type RequestMeta } from '@app/auth';
import { Injectable } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository.js';

/** Why every session of a user ended (kept on each session and in the audit entry). */
export type UserSessionsRevocationReason =
  'password changed' | 'role changed' | 'user disabled' | 'user deleted';

/**
 * Ends every session of a user at once: their refresh families and the access tokens issued in
 * them (the guard reads the session on each request), so the change takes effect immediately.
 */
@Injectable()
export class SessionRevocation {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async revokeAllOfUser(
    userId: string,
    reasons: readonly UserSessionsRevocationReason[],
    by: Principal,
    meta: RequestMeta,
  ): Promise<number> {
    const revoked = await this.sessions.revokeAllOfUser(userId, reasons.join('; '), new Date());
    await this.audit.record({
      action: SecurityAction.SESSIONS_REVOKED,
      resource: `user:${userId}`,
      principal: by,
      ...meta,
      params: { user_id: userId, reasons, sessions_revoked: revoked },
      result: { status: 'success' },
    });
    return revoked;
  }
}
