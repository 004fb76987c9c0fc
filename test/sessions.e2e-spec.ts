import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { adminAuth, createUser, login, type TestUser, type TokenPair } from './support/auth.js';
import { writeTestPolicy } from './support/policy.js';
import { bootTestApp, type TestApp } from './support/test-app.js';
import { SessionCleanupJob } from '../apps/staking-api/src/auth/sessions/session-cleanup.job.js';

const SECOND_MS = 1000;
const HOUR_MS = 3600 * SECOND_MS;
const DAY_MS = 24 * HOUR_MS;
// The policy's authentication.jwt.refresh_token_ttl_seconds (config/staking-security-policies.yaml).
const SESSION_TTL_MS = 7 * DAY_MS;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    sid: string;
    iat: number;
    exp: number;
  };

type Res = Awaited<ReturnType<TestApp['inject']>>;
const expectCode = (res: Res, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error_code).toBe(code);
};

describe('sessions: absolute expiry (real DB + Redis)', () => {
  let t: TestApp;
  let db: Connection;
  let user: { username: string; password: string };

  beforeAll(async () => {
    t = await bootTestApp('sessions');
    db = t.app.get<Connection>(getConnectionToken());
    user = await createUser(t, 'operator');
  });
  afterAll(async () => t?.close());

  const me = (token: string) =>
    t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
  const refresh = (token: string) =>
    t.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: token } });
  const sessionOf = async (pair: TokenPair) => {
    const doc = await db
      .collection('auth_sessions')
      .findOne({ _id: claimsOf(pair.access_token).sid as never });
    expect(doc).not.toBeNull();
    return doc as unknown as { _id: string; created_at: Date; expires_at: Date };
  };
  /** Moves a session and its refresh tokens in time, as if `ms` had passed since login. */
  const age = async (sessionId: string, login: Date, end: Date) => {
    await db
      .collection('auth_sessions')
      .updateOne({ _id: sessionId as never }, { $set: { created_at: login, expires_at: end } });
    await db
      .collection('refresh_tokens')
      .updateMany({ session_id: sessionId }, { $set: { expires_at: end } });
  };

  it('a session ends the policy TTL (7 days) after login, and refreshing never moves that end', async () => {
    const first = await login(t, user.username, user.password);
    const stored = await sessionOf(first);
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBe(SESSION_TTL_MS);

    let pair = first;
    for (let i = 0; i < 3; i++) {
      const res = await refresh(pair.refresh_token);
      expect(res.statusCode).toBe(200);
      pair = res.json() as TokenPair;
    }
    expect(claimsOf(pair.access_token).sid).toBe(stored._id);
    const after = await sessionOf(pair);
    expect(after.expires_at.getTime()).toBe(stored.expires_at.getTime());
    // Every refresh token of the family ends with the family, not 7 days after its own issue.
    const family = await db.collection('refresh_tokens').find({ session_id: stored._id }).toArray();
    expect(family).toHaveLength(4);
    for (const token of family)
      expect((token.expires_at as Date).getTime()).toBe(stored.expires_at.getTime());
  });

  it('past its end: the refresh token → 401 S136 (also when presented again) and the access token → 401 S136', async () => {
    const pair = await login(t, user.username, user.password);
    const { _id } = await sessionOf(pair);
    const now = Date.now();
    await age(_id, new Date(now - SESSION_TTL_MS - SECOND_MS), new Date(now - SECOND_MS));

    const refused = await refresh(pair.refresh_token);
    expectCode(refused, 401, 'S136');
    expect(Date.parse(refused.json().details.session_expired_at)).toBeLessThan(now);
    // The second presentation is not treated as reuse: still "session ended", not S122.
    expectCode(await refresh(pair.refresh_token), 401, 'S136');
    expectCode(await me(pair.access_token), 401, 'S136');

    // Signing in again starts a new session.
    const fresh = await login(t, user.username, user.password);
    expect((await me(fresh.access_token)).statusCode).toBe(200);
  });

  it('a session whose stored end was slid forward (before absolute expiry) still ends 7 days after its login', async () => {
    const pair = await login(t, user.username, user.password);
    const { _id } = await sessionOf(pair);
    const now = Date.now();
    await age(_id, new Date(now - SESSION_TTL_MS - SECOND_MS), new Date(now + 6 * DAY_MS));
    expectCode(await me(pair.access_token), 401, 'S136');
    expectCode(await refresh(pair.refresh_token), 401, 'S136');
  });

  it('near the end of a session, a refreshed access token expires with the session', async () => {
    const pair = await login(t, user.username, user.password);
    const { _id } = await sessionOf(pair);
    const end = new Date(Date.now() + HOUR_MS);
    await age(_id, new Date(end.getTime() - SESSION_TTL_MS), end);
    const res = await refresh(pair.refresh_token);
    expect(res.statusCode).toBe(200);
    const next = res.json() as TokenPair;
    const claims = claimsOf(next.access_token);
    expect(claims.exp).toBe(Math.floor(end.getTime() / 1000));
    expect(next.expires_in).toBe(claims.exp - claims.iat);
    expect(next.expires_in).toBeLessThanOrEqual(3600);
    expect((await me(next.access_token)).statusCode).toBe(200);
  });

  it('the cleanup job deletes a session and its refresh tokens in the hour a day after their end, by bucket', async () => {
    const pair = await login(t, user.username, user.password);
    const session = await sessionOf(pair);
    const count = async () => ({
      sessions: await db.collection('auth_sessions').countDocuments({ _id: session._id as never }),
      tokens: await db.collection('refresh_tokens').countDocuments({ session_id: session._id }),
    });
    expect(await count()).toEqual({ sessions: 1, tokens: 1 });
    const job = t.app.get(SessionCleanupJob);
    const end = new Date(session.expires_at).getTime();
    // Within the day of grace after its end, a late reuse must still be recognised: kept.
    await job.runOnce(new Date(end + 12 * HOUR_MS));
    expect(await count()).toEqual({ sessions: 1, tokens: 1 });
    const run = await job.runOnce(new Date(end + DAY_MS + 2 * HOUR_MS));
    // Earlier tests' sessions of this suite ended in the same hours: they go too.
    expect(run.result!.deleted_sessions).toBeGreaterThanOrEqual(1);
    expect(run.result!.deleted_refresh_tokens).toBeGreaterThanOrEqual(1);
    expect(await count()).toEqual({ sessions: 0, tokens: 0 });
  });

  it('the refused refresh is audited with the S-code and without the token', async () => {
    const pair = await login(t, user.username, user.password);
    const { _id } = await sessionOf(pair);
    await age(_id, new Date(Date.now() - SESSION_TTL_MS - HOUR_MS), new Date(Date.now() - HOUR_MS));
    expectCode(await refresh(pair.refresh_token), 401, 'S136');
    const entries = await db
      .collection('audit_logs')
      .find({ action: 'POST /api/v1/auth/refresh', 'result.error_code': 'S136' })
      .toArray();
    expect(entries.length).toBeGreaterThanOrEqual(1);
    const all = JSON.stringify(await db.collection('audit_logs').find().toArray());
    expect(all).not.toContain(pair.refresh_token);
    expect(all).not.toContain(pair.access_token);
  });
});

describe('sessions: the TTL comes from the security policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    const policy = writeTestPolicy((p) => {
      // Shorter than the 24 h access-token lifetime: the access token is cut to the session.
      p.authentication.jwt.refresh_token_ttl_seconds = 3600;
    });
    t = await bootTestApp('sessions_policy', { SECURITY_POLICIES_FILE: policy });
  });
  afterAll(async () => t?.close());

  it('a 1 h policy: the session, its refresh tokens and its access token all end 1 h after login', async () => {
    const pair = await login(t, t.env.ADMIN_USERNAME!, t.env.ADMIN_PASSWORD!);
    expect(pair.expires_in).toBe(3600);
    const db = t.app.get<Connection>(getConnectionToken());
    const sid = claimsOf(pair.access_token).sid;
    const session = await db.collection('auth_sessions').findOne({ _id: sid as never });
    expect((session!.expires_at as Date).getTime() - (session!.created_at as Date).getTime()).toBe(
      HOUR_MS,
    );
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: pair.refresh_token },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as TokenPair).expires_in).toBeLessThanOrEqual(3600);
    const token = await db.collection('refresh_tokens').findOne({ session_id: sid, used_at: null });
    expect((token!.expires_at as Date).getTime()).toBe((session!.expires_at as Date).getTime());
  });
});

describe('sessions: a new password, another role, disabling or deleting ends every session of the user', () => {
  let t: TestApp;
  let db: Connection;

  beforeAll(async () => {
    t = await bootTestApp('sessions_revocation');
    db = t.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => t?.close());

  const me = (token: string) =>
    t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
  const refresh = (token: string) =>
    t.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: token } });
  const patch = async (user: TestUser, payload: Record<string, unknown>, headers?: object) => {
    const res = await t.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: { ...(headers ?? (await adminAuth(t))) },
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  /** Two sessions of the user, both working. */
  const twoSessions = async (user: TestUser) => {
    const pairs = [
      await login(t, user.username, user.password),
      await login(t, user.username, user.password),
    ];
    for (const pair of pairs) expect((await me(pair.access_token)).statusCode).toBe(200);
    return pairs;
  };
  const expectEnded = async (pairs: TokenPair[]) => {
    for (const pair of pairs) {
      expectCode(await me(pair.access_token), 401, 'S122');
      expectCode(await refresh(pair.refresh_token), 401, 'S122');
    }
  };
  const revocationEntries = async (userId: string) =>
    db
      .collection('audit_logs')
      .find({ action: 'auth.sessions_revoked', resource: `user:${userId}` })
      .toArray();

  it('a new password: both sessions end (access and refresh), the old password is refused, the new one signs in; audited without the password', async () => {
    const user = await createUser(t, 'operator');
    const pairs = await twoSessions(user);
    const newPassword = `new-${user.password}`;
    await patch(user, { password: newPassword });
    await expectEnded(pairs);

    expectCode(
      await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password: user.password },
      }),
      401,
      'S121',
    );
    const fresh = await login(t, user.username, newPassword);
    expect((await me(fresh.access_token)).statusCode).toBe(200);

    const entries = await revocationEntries(user.id);
    expect(entries).toHaveLength(1);
    const entry = entries[0]!;
    const admin = (await me((await adminAuth(t)).authorization.slice(7))).json();
    expect(entry.actor).toMatchObject({ type: 'user', id: admin.id, role: 'admin' });
    expect(JSON.parse(entry.params as string)).toEqual({
      user_id: user.id,
      reasons: ['password changed'],
      sessions_revoked: 2,
    });
    expect(entry.result).toMatchObject({ status: 'success' });
    const stored = JSON.stringify(await db.collection('audit_logs').find().toArray());
    expect(stored).not.toContain(newPassword);
    for (const pair of pairs) expect(stored).not.toContain(pair.refresh_token);

    const sessions = await db.collection('auth_sessions').find({ user_id: user.id }).toArray();
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.revoked_reason === 'password changed')).toHaveLength(2);
    expect(sessions.filter((s) => s.revoked_at === null)).toHaveLength(1);
  });

  it('another role ends the sessions; the same role again, or ending a lock-out, leaves them alone', async () => {
    const user = await createUser(t, 'viewer');
    const pairs = await twoSessions(user);
    await patch(user, { role: 'viewer' });
    await patch(user, { unlock: true });
    for (const pair of pairs) expect((await me(pair.access_token)).json().role).toBe('viewer');
    expect(await revocationEntries(user.id)).toHaveLength(0);

    await patch(user, { role: 'manager' });
    await expectEnded(pairs);
    const fresh = await login(t, user.username, user.password);
    expect((await me(fresh.access_token)).json().role).toBe('manager');
    const [entry] = await revocationEntries(user.id);
    expect(JSON.parse(entry!.params as string)).toMatchObject({
      reasons: ['role changed'],
      sessions_revoked: 2,
    });
  });

  it('disabling ends the sessions for good: re-enabling does not revive them', async () => {
    const user = await createUser(t, 'operator');
    const pairs = await twoSessions(user);
    await patch(user, { status: 'disabled' });
    await patch(user, { status: 'active' });
    await expectEnded(pairs);
    expect((await me((await login(t, user.username, user.password)).access_token)).statusCode).toBe(
      200,
    );
    const entries = await revocationEntries(user.id);
    expect(entries.map((e) => JSON.parse(e.params as string).reasons)).toEqual([['user disabled']]);
  });

  it('one change of role and password together: one revocation naming both', async () => {
    const user = await createUser(t, 'viewer');
    const pairs = await twoSessions(user);
    await patch(user, { role: 'operator', password: `other-${user.password}` });
    await expectEnded(pairs);
    const entries = await revocationEntries(user.id);
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.params as string).reasons).toEqual([
      'role changed',
      'password changed',
    ]);
  });

  it('deleting ends the sessions (audited)', async () => {
    const user = await createUser(t, 'viewer');
    const pairs = await twoSessions(user);
    const del = await t.inject({
      method: 'DELETE',
      url: `/api/v1/users/${user.id}`,
      headers: await adminAuth(t),
    });
    expect(del.statusCode).toBe(204);
    await expectEnded(pairs);
    const sessions = await db.collection('auth_sessions').find({ user_id: user.id }).toArray();
    expect(sessions.map((s) => s.revoked_reason)).toEqual(['user deleted', 'user deleted']);
    expect(await revocationEntries(user.id)).toHaveLength(1);
  });

  it("an admin changing its own password ends its own sessions too, and other users' sessions stay", async () => {
    const bystander = await createUser(t, 'operator');
    const [bystanderPair] = await twoSessions(bystander);
    const admin = await createUser(t, 'admin');
    const [own] = await twoSessions(admin);
    const res = await patch(
      admin,
      { password: `rotated-${admin.password}` },
      bearer(own!.access_token),
    );
    expect(res.json().id).toBe(admin.id);
    await expectEnded([own!]);
    expect((await me(bystanderPair!.access_token)).statusCode).toBe(200);
  });
});
