import {
  AccessTokens,
  AuditTrail,
  generateOpaqueToken,
  hashOpaqueToken,
  PasswordHasher,
  SecurityAction,
  type AccessSession,
  type Principal,
  type RequestMeta,
} from '@app/auth';
import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import type { UserRecord } from '../users/user.schema.js';
import { UsersRepository } from '../users/users.repository.js';
import { AUTH_LOGIN_FAILED, type AuthLoginFailedEvent } from './auth-events.js';
import type { TokenPairDto } from './dto/token-pair.dto.js';
import { RefreshTokensRepository } from './sessions/refresh-tokens.repository.js';
import { sessionEndsAt } from './sessions/session-lifetime.js';
import type { SessionRecord } from './sessions/session.schema.js';
import { SessionsRepository } from './sessions/sessions.repository.js';

const MINUTE_MS = 60_000;

/** Sign-in, token refresh with rotation and reuse detection, sign-out. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly policy: SecurityPolicy,
    private readonly audit: AuditTrail,
    private readonly events: EventEmitter2,
  ) {}

  async login(usernameInput: string, password: string, meta: RequestMeta): Promise<TokenPairDto> {
    const username = usernameInput.trim().toLowerCase();
    const now = new Date();
    const user = await this.users.findByUsername(username);
    if (!user || user.status !== 'active') {
      await this.hasher.verifyDummy(password);
      await this.failed(
        ErrorCode.INVALID_CREDENTIALS,
        user ? `user ${user.status}` : 'unknown user',
        username,
        meta,
      );
      throw new StakingException(ErrorCode.INVALID_CREDENTIALS);
    }
    const principal = this.principalOf(user);
    if (user.locked_until && user.locked_until > now) {
      await this.failed(ErrorCode.ACCOUNT_LOCKED, 'account locked', username, meta, principal);
      throw this.locked(user.locked_until, now);
    }
    if (!(await this.hasher.verify(password, user.password_hash))) {
      const lockout = this.policy.file.authentication.lockout;
      const failures = await this.users.recordFailedLogin(
        user.id,
        now,
        lockout.window_minutes * MINUTE_MS,
      );
      if (failures >= lockout.max_failed_attempts) {
        const until = new Date(now.getTime() + lockout.lockout_minutes * MINUTE_MS);
        if (await this.users.lock(user.id, now, until)) {
          await this.audit.record({
            action: SecurityAction.LOCKOUT,
            resource: `user:${user.id}`,
            principal,
            ...meta,
            params: { username, failed_attempts: failures, locked_until: until.toISOString() },
            result: { status: 'denied', error_code: ErrorCode.ACCOUNT_LOCKED, http_status: 423 },
          });
        }
        await this.failed(
          ErrorCode.ACCOUNT_LOCKED,
          'wrong password; account locked',
          username,
          meta,
          principal,
        );
        throw this.locked(until, now);
      }
      await this.failed(ErrorCode.INVALID_CREDENTIALS, 'wrong password', username, meta, principal);
      throw new StakingException(ErrorCode.INVALID_CREDENTIALS);
    }

    await this.users.recordSuccessfulLogin(user.id, now);
    // The family's absolute end: refreshing never moves it.
    const session = {
      id: randomUUID(),
      user_id: user.id,
      created_at: now,
      expires_at: new Date(now.getTime() + this.refreshTtlMs()),
    };
    await this.sessions.create(session);
    const pair = await this.issuePair(user, session, now);
    await this.audit.record({
      action: SecurityAction.LOGIN,
      resource: `session:${session.id}`,
      principal,
      ...meta,
      params: { username },
      result: { status: 'success', http_status: 200 },
    });
    return pair;
  }

  async refresh(refreshToken: string, meta: RequestMeta): Promise<TokenPairDto> {
    const now = new Date();
    const hash = hashOpaqueToken(refreshToken);
    const spent = await this.refreshTokens.spend(hash, now);
    if (!spent) {
      const known = await this.refreshTokens.findByHash(hash);
      // Past the family's end there is nothing left to protect: say so rather than "reuse".
      if (known && known.expires_at <= now) throw this.sessionExpired(known.expires_at);
      if (known) {
        // A spent token came back: someone holds a copy. End the whole family.
        await this.sessions.revoke(known.session_id, 'refresh token reuse', now);
        await this.audit.record({
          action: SecurityAction.FAILURE,
          resource: `session:${known.session_id}`,
          ...meta,
          params: { reason: 'refresh token reuse; session revoked', user_id: known.user_id },
          result: { status: 'denied', error_code: ErrorCode.TOKEN_INVALID, http_status: 401 },
        });
      }
      throw new StakingException(ErrorCode.TOKEN_INVALID);
    }
    const [session, user] = await Promise.all([
      this.sessions.findById(spent.session_id),
      this.users.findById(spent.user_id),
    ]);
    if (!session || session.revoked_at || !user || user.status !== 'active')
      throw new StakingException(ErrorCode.TOKEN_INVALID);
    const endsAt = sessionEndsAt(session, this.refreshTtlMs());
    if (endsAt <= now || spent.expires_at <= now) throw this.sessionExpired(endsAt);
    const pair = await this.issuePair(user, { id: session.id, expires_at: endsAt }, now);
    await this.audit.record({
      action: SecurityAction.REFRESH,
      resource: `session:${session.id}`,
      principal: this.principalOf(user),
      ...meta,
      result: { status: 'success', http_status: 200 },
    });
    return pair;
  }

  /** Ends the caller's session: its refresh tokens and every access token issued in it. */
  async logout(
    principal: Principal,
    session: AccessSession | undefined,
    meta: RequestMeta,
  ): Promise<void> {
    if (session) await this.sessions.revoke(session.sessionId, 'logout', new Date());
    await this.audit.record({
      action: SecurityAction.LOGOUT,
      resource: session ? `session:${session.sessionId}` : undefined,
      principal,
      ...meta,
      result: { status: 'success', http_status: 204 },
    });
  }

  /** A new refresh token of the family and an access token, neither outliving the session. */
  private async issuePair(
    user: UserRecord,
    session: Pick<SessionRecord, 'id' | 'expires_at'>,
    now: Date,
  ): Promise<TokenPairDto> {
    const refresh = generateOpaqueToken();
    await this.refreshTokens.create({
      token_hash: hashOpaqueToken(refresh),
      session_id: session.id,
      user_id: user.id,
      created_at: now,
      expires_at: session.expires_at,
    });
    const access = await this.tokens.issue(
      { userId: user.id, username: user.username, role: user.role, sessionId: session.id },
      now,
      session.expires_at,
    );
    return {
      access_token: access.token,
      refresh_token: refresh,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
    };
  }

  private sessionExpired(endedAt: Date): StakingException {
    return new StakingException(ErrorCode.SESSION_EXPIRED, undefined, {
      session_expired_at: endedAt.toISOString(),
    });
  }

  private refreshTtlMs(): number {
    return this.policy.file.authentication.jwt.refresh_token_ttl_seconds * 1000;
  }

  private principalOf(user: UserRecord): Principal {
    return { kind: 'user', id: user.id, username: user.username, role: user.role };
  }

  private async failed(
    code: typeof ErrorCode.INVALID_CREDENTIALS | typeof ErrorCode.ACCOUNT_LOCKED,
    reason: string,
    username: string,
    meta: RequestMeta,
    principal?: Principal,
  ): Promise<void> {
    const event: AuthLoginFailedEvent = { username, ip: meta.ip, at: new Date() };
    // Awaited: the repeated-failure incident exists when the 401 answers (listeners never throw).
    await this.events.emitAsync(AUTH_LOGIN_FAILED, event);
    await this.audit.record({
      action: SecurityAction.FAILURE,
      resource: 'POST /api/v1/auth/login',
      principal,
      ...meta,
      params: { username, reason },
      result: {
        status: 'failure',
        error_code: code,
        http_status: code === ErrorCode.ACCOUNT_LOCKED ? 423 : 401,
      },
    });
  }

  private locked(until: Date, now: Date): StakingException {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new StakingException(
      ErrorCode.ACCOUNT_LOCKED,
      undefined,
      { locked_until: until.toISOString() },
      { 'Retry-After': String(seconds) },
    );
  }
}
