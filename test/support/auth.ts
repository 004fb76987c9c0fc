import type { Role } from '@app/common';
import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app.js';

export type AuthHeaders = { authorization: string } & Record<string, string>;

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
}

const adminTokens = new WeakMap<TestApp, Promise<string>>();

/** Signs in through the real API; throws with the answer when it is not 200. */
export async function login(t: TestApp, username: string, password: string): Promise<TokenPair> {
  const res = await t.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} → ${res.statusCode} ${res.body}`);
  return res.json() as TokenPair;
}

/** The env admin (ADMIN_USERNAME/ADMIN_PASSWORD of the suite), signed in once per app. */
export async function adminAuth(t: TestApp): Promise<AuthHeaders> {
  let token = adminTokens.get(t);
  if (!token) {
    token = login(t, t.env.ADMIN_USERNAME!, t.env.ADMIN_PASSWORD!).then((p) => p.access_token);
    adminTokens.set(t, token);
    token.catch(() => adminTokens.delete(t));
  }
  return { authorization: `Bearer ${await token}` };
}

/** Creates a user of that role as the env admin, through POST /api/v1/users. */
export async function createUser(t: TestApp, role: Role, username?: string): Promise<TestUser> {
  const name = username ?? `${role}-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const res = await t.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: await adminAuth(t),
    payload: { username: name, password, role },
  });
  if (res.statusCode !== 201)
    throw new Error(`create user ${name} → ${res.statusCode} ${res.body}`);
  return { id: res.json().id as string, username: name, password, role };
}

/** A fresh user of that role, signed in: `{ authorization: 'Bearer …' }` for protected routes. */
export async function loginAs(t: TestApp, role: Role): Promise<AuthHeaders> {
  if (role === 'admin') return adminAuth(t);
  const user = await createUser(t, role);
  const pair = await login(t, user.username, user.password);
  return { authorization: `Bearer ${pair.access_token}` };
}

/** An API key with that role, created by the env admin: `{ 'x-api-key': … }` plus its id. */
export async function createApiKey(
  t: TestApp,
  role: Role,
): Promise<{ id: string; headers: { 'x-api-key': string } }> {
  const res = await t.inject({
    method: 'POST',
    url: '/api/v1/auth/api-keys',
    headers: await adminAuth(t),
    payload: { name: `svc-${role}-${randomBytes(3).toString('hex')}`, role },
  });
  if (res.statusCode !== 201) throw new Error(`create API key → ${res.statusCode} ${res.body}`);
  const body = res.json() as { id: string; key: string };
  return { id: body.id, headers: { 'x-api-key': body.key } };
}
