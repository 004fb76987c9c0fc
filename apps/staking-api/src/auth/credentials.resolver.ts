import {
  AccessTokens,
  AuditTrail,
  hashOpaqueToken,
  PrincipalResolver,
  SecurityAction,
  type Credentials,
  type RequestMeta,
  type ResolvedCaller,
} from '@app/auth';
import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { Injectable } from '@nestjs/common';
import { UsersRepository } from '../users/users.repository.js';
import { ApiKeysRepository } from './api-keys/api-keys.repository.js';
import { sessionEndsAt } from './sessions/session-lifetime.js';
import { SessionsRepository } from './sessions/sessions.repository.js';

// last_used_at and the api_key.use audit entry: at most once a minute per key.
const API_KEY_USE_RESOLUTION_MS = 60_000;

/**
 * Checks credentials against the stores on every request: a valid signature is not enough — the
 * user must still be active and the session neither revoked nor past its end, so logout, a new
 * password or role, disabling, deletion and refresh-token reuse take effect at once. Both are
 * lookups by _id and deliberately not cached: a cache would have to be cleared on every path that
 * ends a session or changes a user, and one missed path would keep a revoked token alive. The
 * role comes from the user record, not the token.
 */
@Injectable()
export class CredentialsResolver extends PrincipalResolver {
  private readonly sessionTtlMs: number;

  constructor(
    private readonly tokens: AccessTokens,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly audit: AuditTrail,
    policy: SecurityPolicy,
  ) {
    super();
    this.sessionTtlMs = policy.file.authentication.jwt.refresh_token_ttl_seconds * 1000;
  }

  async resolve(credentials: Credentials, meta: RequestMeta): Promise<ResolvedCaller> {
    return credentials.kind === 'bearer'
      ? this.fromToken(credentials.token)
      : this.fromApiKey(credentials.key, meta);
  }

  private async fromToken(token: string): Promise<ResolvedCaller> {
    const claims = await this.tokens.verify(token);
    const [user, session] = await Promise.all([
      this.users.findById(claims.userId),
      this.sessions.findById(claims.sessionId),
    ]);
    if (
      !user ||
      user.status !== 'active' ||
      !session ||
      session.revoked_at ||
      session.user_id !== user.id
    )
      throw new StakingException(ErrorCode.TOKEN_INVALID);
    const endsAt = sessionEndsAt(session, this.sessionTtlMs);
    if (endsAt <= new Date())
      throw new StakingException(ErrorCode.SESSION_EXPIRED, undefined, {
        session_expired_at: endsAt.toISOString(),
      });
    return {
      principal: { kind: 'user', id: user.id, username: user.username, role: user.role },
      session: { sessionId: session.id, tokenId: claims.tokenId, expiresAt: claims.expiresAt },
    };
  }

  private async fromApiKey(key: string, meta: RequestMeta): Promise<ResolvedCaller> {
    const record = await this.apiKeys.findByHash(hashOpaqueToken(key));
    if (!record || record.revoked_at) throw new StakingException(ErrorCode.API_KEY_INVALID);
    if (record.expires_at && record.expires_at <= new Date())
      throw new StakingException(ErrorCode.API_KEY_EXPIRED, undefined, {
        expired_at: record.expires_at.toISOString(),
      });
    const principal = { kind: 'api_key' as const, id: record.id, role: record.role };
    if (await this.apiKeys.touch(record.id, new Date(), API_KEY_USE_RESOLUTION_MS)) {
      await this.audit.record({
        action: SecurityAction.API_KEY_USE,
        resource: `api_key:${record.id}`,
        principal,
        ...meta,
        params: { name: record.name },
        result: { status: 'success' },
      });
    }
    return { principal };
  }
}
