import { generateKeyPair, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import {
  adminAuth,
  createApiKey,
  createUser,
  login,
  loginAs,
  type TokenPair,
} from './support/auth.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('auth: sign-in, tokens, sessions, API keys, lock-out (real DB + Redis)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp('auth');
  });
  afterAll(async () => t?.close());

  const me = (headers: Record<string, string>) =>
    t.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const expectCode = (
    res: { statusCode: number; json(): { error_code?: string } },
    status: number,
    code: string,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(res.json().error_code).toBe(code);
  };

  describe('sign-in', () => {
    it('the env admin exists on first start and gets a token pair', async () => {
      const pair = await login(t, t.env.ADMIN_USERNAME!, t.env.ADMIN_PASSWORD!);
      expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 86_400 });
      expect(pair.access_token.split('.')).toHaveLength(3);
      const header = JSON.parse(
        Buffer.from(pair.access_token.split('.')[0]!, 'base64url').toString(),
      );
      expect(header).toEqual({ alg: 'HS256', kid: 'k1', typ: 'JWT' });
      const res = await me(bearer(pair.access_token));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        kind: 'user',
        username: 'admin',
        role: 'admin',
        permissions: ['*'],
      });
    });

    it('a wrong password and an unknown user both get 401 S121', async () => {
      const wrong = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: 'not-the-password' },
      });
      expectCode(wrong, 401, 'S121');
      const unknown = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'whatever-password' },
      });
      expectCode(unknown, 401, 'S121');
      expect(unknown.json().error).toBe(wrong.json().error);
    });

    it('no credentials → 401 S120; a malformed Authorization header → 401 S122', async () => {
      expectCode(await me({}), 401, 'S120');
      expectCode(await me({ authorization: 'Basic abc' }), 401, 'S122');
    });

    it('every answer carries security headers', async () => {
      const res = await t.inject({ method: 'GET', url: '/health/live' });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBeDefined();
      expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
    });
  });

  describe('refresh tokens: rotated on every use, reuse revokes the family', () => {
    let user: { username: string; password: string };
    beforeAll(async () => {
      user = await createUser(t, 'operator');
    });
    const refresh = (token: string) =>
      t.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: token } });

    it('refresh returns a new pair and spends the old refresh token', async () => {
      const first = await login(t, user.username, user.password);
      const res = await refresh(first.refresh_token);
      expect(res.statusCode).toBe(200);
      const second = res.json() as TokenPair;
      expect(second).toMatchObject({ token_type: 'Bearer', expires_in: 86_400 });
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect((await me(bearer(second.access_token))).statusCode).toBe(200);
    });

    it('reusing a spent refresh token → 401 S122 and the whole session is revoked', async () => {
      const first = await login(t, user.username, user.password);
      const second = (await refresh(first.refresh_token)).json() as TokenPair;
      expectCode(await refresh(first.refresh_token), 401, 'S122');
      // The legitimate holder's newer tokens die with the family.
      expectCode(await refresh(second.refresh_token), 401, 'S122');
      expectCode(await me(bearer(second.access_token)), 401, 'S122');
      expectCode(await me(bearer(first.access_token)), 401, 'S122');
      // Another session of the same user is untouched.
      const other = await login(t, user.username, user.password);
      expect((await me(bearer(other.access_token))).statusCode).toBe(200);
    });

    it('an unknown refresh token → 401 S122', async () => {
      expectCode(await refresh('not-a-real-token'), 401, 'S122');
    });

    it('logout ends the session: access and refresh tokens refused', async () => {
      const pair = await login(t, user.username, user.password);
      const out = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: bearer(pair.access_token),
      });
      expect(out.statusCode).toBe(204);
      expectCode(await me(bearer(pair.access_token)), 401, 'S122');
      expectCode(await refresh(pair.refresh_token), 401, 'S122');
    });
  });

  describe('JWT attacks are refused', () => {
    let valid: TokenPair;
    let claims: Record<string, unknown>;
    const secret = () => new TextEncoder().encode(t.env.JWT_SECRET!);
    const sign = (
      payload: Record<string, unknown>,
      header: Record<string, unknown>,
      key: Parameters<SignJWT['sign']>[0],
    ) => new SignJWT(payload).setProtectedHeader(header as never).sign(key);

    beforeAll(async () => {
      valid = await login(t, t.env.ADMIN_USERNAME!, t.env.ADMIN_PASSWORD!);
      claims = JSON.parse(Buffer.from(valid.access_token.split('.')[1]!, 'base64url').toString());
    });

    it('the untouched token works (control)', async () => {
      expect((await me(bearer(valid.access_token))).statusCode).toBe(200);
    });

    it('alg none → 401 S122', async () => {
      const token = `${b64({ alg: 'none', typ: 'JWT', kid: 'k1' })}.${b64(claims)}.`;
      expectCode(await me(bearer(token)), 401, 'S122');
    });

    it('another HMAC (HS512) with the right secret → 401 S122', async () => {
      expectCode(
        await me(bearer(await sign(claims, { alg: 'HS512', kid: 'k1', typ: 'JWT' }, secret()))),
        401,
        'S122',
      );
    });

    it('an asymmetric algorithm (RS256) → 401 S122', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      expectCode(
        await me(bearer(await sign(claims, { alg: 'RS256', kid: 'k1', typ: 'JWT' }, privateKey))),
        401,
        'S122',
      );
    });

    it('the wrong key → 401 S122', async () => {
      const other = new TextEncoder().encode(randomBytes(32).toString('hex'));
      expectCode(
        await me(bearer(await sign(claims, { alg: 'HS256', kid: 'k1', typ: 'JWT' }, other))),
        401,
        'S122',
      );
    });

    it('an expired token signed with the right key → 401 S123', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      const token = await sign(
        { ...claims, iat: past - 60, exp: past },
        { alg: 'HS256', kid: 'k1', typ: 'JWT' },
        secret(),
      );
      expectCode(await me(bearer(token)), 401, 'S123');
    });

    it('a tampered payload (role, subject) → 401 S122', async () => {
      const [h, , s] = valid.access_token.split('.');
      const forged = `${h}.${b64({ ...claims, role: 'admin', sub: '000000000000000000000000' })}.${s}`;
      expectCode(await me(bearer(forged)), 401, 'S122');
    });

    it('an unknown kid → 401 S122', async () => {
      expectCode(
        await me(bearer(await sign(claims, { alg: 'HS256', kid: 'k9', typ: 'JWT' }, secret()))),
        401,
        'S122',
      );
    });

    it('a token for another audience → 401 S122', async () => {
      const token = await sign(
        { ...claims, aud: 'someone-else' },
        { alg: 'HS256', kid: 'k1', typ: 'JWT' },
        secret(),
      );
      expectCode(await me(bearer(token)), 401, 'S122');
    });
  });

  describe('API keys', () => {
    it('created by an admin with a role, shown once, usable, listed without the key, revocable', async () => {
      const created = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/api-keys',
        headers: await adminAuth(t),
        payload: { name: 'payments', role: 'operator' },
      });
      expect(created.statusCode).toBe(201);
      const { id, key, role } = created.json();
      expect(role).toBe('operator');
      expect(key).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);

      const res = await me({ 'x-api-key': key });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ kind: 'api_key', id, role: 'operator' });

      const list = await t.inject({
        method: 'GET',
        url: '/api/v1/auth/api-keys',
        headers: await adminAuth(t),
      });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(key);
      const listed = list.json().items.find((k: { id: string }) => k.id === id);
      expect(listed).toMatchObject({ name: 'payments', role: 'operator', revoked_at: null });
      expect(key.startsWith(listed.key_prefix)).toBe(true);
      expect(Date.parse(listed.last_used_at)).not.toBeNaN();

      const del = await t.inject({
        method: 'DELETE',
        url: `/api/v1/auth/api-keys/${id}`,
        headers: await adminAuth(t),
      });
      expect(del.statusCode).toBe(204);
      expectCode(await me({ 'x-api-key': key }), 401, 'S129');
    });

    it('an unknown key → 401 S129; a viewer key cannot manage keys (403 S125)', async () => {
      expectCode(await me({ 'x-api-key': 'tsk_nope' }), 401, 'S129');
      const viewer = await createApiKey(t, 'viewer');
      expectCode(
        await t.inject({ method: 'GET', url: '/api/v1/auth/api-keys', headers: viewer.headers }),
        403,
        'S125',
      );
    });
  });

  describe('lock-out after repeated failed sign-ins (policy: 5 in 15 min → 15 min)', () => {
    it('locks with 423 S124 and Retry-After, refuses the right password while locked, is audited, and an admin can unlock', async () => {
      const user = await createUser(t, 'viewer');
      const attempt = (password: string) =>
        t.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: user.username, password },
        });
      for (let i = 0; i < 4; i++) expectCode(await attempt('wrong-password-xx'), 401, 'S121');
      const fifth = await attempt('wrong-password-xx');
      expectCode(fifth, 423, 'S124');
      expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(800);
      expectCode(await attempt(user.password), 423, 'S124');

      const audit = await t.inject({
        method: 'GET',
        url: `/api/v1/audit/logs?action=auth.lockout&actor_id=${user.id}`,
        headers: await adminAuth(t),
      });
      expect(audit.json().total).toBe(1);

      const unlock = await t.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: await adminAuth(t),
        payload: { unlock: true },
      });
      expect(unlock.statusCode).toBe(200);
      expect(unlock.json().locked_until).toBeNull();
      expect((await attempt(user.password)).statusCode).toBe(200);
    });
  });

  describe('users (admin)', () => {
    it('create, list, change role (tokens stop), disable (tokens stop), delete (tokens stop)', async () => {
      const admin = await adminAuth(t);
      const user = await createUser(t, 'viewer');
      let pair = await login(t, user.username, user.password);
      expect((await me(bearer(pair.access_token))).json().role).toBe('viewer');

      const list = await t.inject({
        method: 'GET',
        url: '/api/v1/users?limit=1000',
        headers: admin,
      });
      expect(list.json().items.map((u: { username: string }) => u.username)).toContain(
        user.username,
      );
      expect(list.body).not.toContain('password');

      const promote = await t.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: admin,
        payload: { role: 'manager' },
      });
      expect(promote.json().role).toBe('manager');
      // A role change ends the user's sessions: it signs in again and acts as manager.
      expectCode(await me(bearer(pair.access_token)), 401, 'S122');
      pair = await login(t, user.username, user.password);
      expect((await me(bearer(pair.access_token))).json().role).toBe('manager');

      await t.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: admin,
        payload: { status: 'disabled' },
      });
      expectCode(await me(bearer(pair.access_token)), 401, 'S122');
      await t.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: admin,
        payload: { status: 'active' },
      });
      // Re-enabling does not bring the revoked sessions back.
      expectCode(await me(bearer(pair.access_token)), 401, 'S122');
      pair = await login(t, user.username, user.password);
      expect((await me(bearer(pair.access_token))).statusCode).toBe(200);

      const del = await t.inject({
        method: 'DELETE',
        url: `/api/v1/users/${user.id}`,
        headers: admin,
      });
      expect(del.statusCode).toBe(204);
      expectCode(await me(bearer(pair.access_token)), 401, 'S122');
      expectCode(
        await t.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: user.username, password: user.password },
        }),
        401,
        'S121',
      );
    });

    it('refuses a short password (S100), a duplicate username (409 S805), an admin removing themselves and removing the last admin (409 S139)', async () => {
      const admin = await adminAuth(t);
      const short = await t.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: { username: 'shorty', password: 'short', role: 'viewer' },
      });
      expectCode(short, 400, 'S100');
      expect(short.body).not.toContain('"short"');
      const dup = await t.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: { username: 'admin', password: 'long-enough-password', role: 'viewer' },
      });
      expectCode(dup, 409, 'S805');
      const adminId = (await me(admin)).json().id;
      expectCode(
        await t.inject({ method: 'DELETE', url: `/api/v1/users/${adminId}`, headers: admin }),
        409,
        'S139',
      );
      for (const payload of [{ role: 'viewer' }, { status: 'disabled' }])
        expectCode(
          await t.inject({
            method: 'PATCH',
            url: `/api/v1/users/${adminId}`,
            headers: admin,
            payload,
          }),
          409,
          'S139',
        );
      // Another admin can be removed while one stays.
      const second = await t.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: { username: 'second-admin', password: 'long-enough-password', role: 'admin' },
      });
      expect(second.statusCode).toBe(201);
      const secondId = second.json().id as string;
      expect(
        (await t.inject({ method: 'DELETE', url: `/api/v1/users/${secondId}`, headers: admin }))
          .statusCode,
      ).toBe(204);
    });

    it('loginAs gives a working bearer for each role', async () => {
      for (const role of ['manager', 'operator', 'viewer'] as const) {
        expect((await me(await loginAs(t, role))).json().role).toBe(role);
      }
    });
  });
});

describe('auth across instances: key rotation and the first admin', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    while (apps.length) await apps.pop()!.close();
  });

  it('a token signed with the previous key (kid k1) still works after rotation to k2; without it, it is refused', async () => {
    const a = await bootTestApp('auth_rotation');
    apps.push(a);
    const pair = await login(a, a.env.ADMIN_USERNAME!, a.env.ADMIN_PASSWORD!);
    const shared = {
      MONGODB_URI: a.env.MONGODB_URI!,
      REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX!,
      ADMIN_PASSWORD: a.env.ADMIN_PASSWORD!,
    };
    const rotated = await bootTestApp('auth_rotation', {
      ...shared,
      JWT_KEY_ID: 'k2',
      JWT_SECRET: randomBytes(32).toString('hex'),
      JWT_PREVIOUS_KEYS: `k1:${a.env.JWT_SECRET}`,
    });
    apps.push(rotated);
    const res = await rotated.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(pair.access_token),
    });
    expect(res.statusCode).toBe(200);
    const fresh = await login(rotated, rotated.env.ADMIN_USERNAME!, rotated.env.ADMIN_PASSWORD!);
    expect(
      JSON.parse(Buffer.from(fresh.access_token.split('.')[0]!, 'base64url').toString()).kid,
    ).toBe('k2');
    // The refresh token from before the rotation is opaque: it keeps working too.
    expect(
      (
        await rotated.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: pair.refresh_token },
        })
      ).statusCode,
    ).toBe(200);

    const dropped = await bootTestApp('auth_rotation', {
      ...shared,
      JWT_KEY_ID: 'k2',
      JWT_SECRET: rotated.env.JWT_SECRET!,
      JWT_PREVIOUS_KEYS: '',
    });
    apps.push(dropped);
    const refused = await dropped.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(pair.access_token),
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error_code).toBe('S122');
  });

  it('replicas starting at once create exactly one first admin, and none when an admin exists', async () => {
    const env = {
      MONGODB_URI: new URL(
        `/t_first_admin_${randomBytes(4).toString('hex')}`,
        process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017',
      ).toString(),
      REDIS_KEY_PREFIX: `t:first_admin_${randomBytes(4).toString('hex')}:`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: `pw-${randomBytes(12).toString('hex')}`,
    };
    const booted = await Promise.all([1, 2, 3].map(() => bootTestApp('first_admin', env)));
    apps.push(...booted);
    const admin = await adminAuth(booted[0]!);
    const list = (
      await booted[0]!.inject({ method: 'GET', url: '/api/v1/users', headers: admin })
    ).json();
    expect(list.items.filter((u: { role: string }) => u.role === 'admin')).toHaveLength(1);

    const another = await bootTestApp('first_admin', { ...env, ADMIN_USERNAME: 'second-root' });
    apps.push(another);
    const after = (
      await another.inject({ method: 'GET', url: '/api/v1/users', headers: admin })
    ).json();
    expect(after.items.map((u: { username: string }) => u.username)).not.toContain('second-root');
  });
});
