import { PERMISSIONS, ROLES, SecurityPolicy, type Role } from '@app/common';
import { DiscoveryModule } from '@nestjs/core';
import { EchoFixtureModule } from './fixtures/echo.module.js';
import { UndeclaredFixtureModule } from './fixtures/undeclared.module.js';
import { createApiKey, createUser, login } from './support/auth.js';
import { routeTable, type RouteRow } from './support/route-table.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DUMMY_ID = '000000000000000000000000';
// Routes that end the caller's session get a throw-away token of the same user.
const SESSION_ENDING = new Set(['POST /api/v1/auth/logout']);

interface Caller {
  name: string;
  role: Role | null;
  headers: () => Promise<Record<string, string>>;
}

describe('RBAC matrix: every route × every role, no credentials and API keys (generated from the route table)', () => {
  let t: TestApp;
  let routes: RouteRow[];
  let policy: SecurityPolicy;
  const callers: Caller[] = [];

  beforeAll(async () => {
    // A closed port: routes that reach the TRON node fail fast instead of waiting for a timeout.
    t = await bootTestApp(
      'rbac_matrix',
      { TRON_FULL_HOST: 'http://127.0.0.1:9' },
      { extraImports: [DiscoveryModule, EchoFixtureModule] },
    );
    routes = routeTable(t.app);
    policy = t.app.get(SecurityPolicy);
    callers.push({ name: 'no credentials', role: null, headers: async () => ({}) });
    for (const role of ROLES) {
      const user =
        role === 'admin'
          ? { username: t.env.ADMIN_USERNAME!, password: t.env.ADMIN_PASSWORD! }
          : await createUser(t, role);
      const token = (await login(t, user.username, user.password)).access_token;
      callers.push({
        name: `user:${role}`,
        role,
        headers: async () => ({ authorization: `Bearer ${token}` }),
      });
      callers.push({
        name: `user:${role} (fresh session)`,
        role,
        headers: async () => ({
          authorization: `Bearer ${(await login(t, user.username, user.password)).access_token}`,
        }),
      });
      const key = await createApiKey(t, role);
      callers.push({ name: `api_key:${role}`, role, headers: async () => key.headers });
    }
  });
  afterAll(async () => t?.close());

  it('the route table is not empty and holds the auth, users, audit and service routes', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'GET /api/v1/auth/me',
        'POST /api/v1/users',
        'DELETE /api/v1/users/:id',
        'POST /api/v1/auth/api-keys',
        'GET /api/v1/audit/verify',
        'GET /health',
        'GET /metrics',
      ]),
    );
  });

  it('every route declares its access explicitly (@Public, @Authenticated or @RequirePermission)', () => {
    const undeclared = routes
      .filter((r) => !r.access)
      .map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
    for (const r of routes)
      if (r.access?.kind === 'permission') expect(PERMISSIONS).toContain(r.access.permission);
  });

  it('the OpenAPI document states the access of every operation and secures the non-public ones', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/docs-json' })).json() as {
      paths: Record<string, Record<string, { 'x-access'?: string; security?: unknown[] }>>;
    };
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        if (!op['x-access']) missing.push(`${method.toUpperCase()} ${path}`);
        else if (op['x-access'] !== 'public')
          expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }, { 'api-key': [] }]));
      }
    expect(missing).toEqual([]);
  });

  it('answers every caller on every route as the policy says', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const url = route.path.replace(/:[^/]+/g, DUMMY_ID);
      for (const caller of callers) {
        const fresh = caller.name.includes('fresh session');
        if (
          fresh !== SESSION_ENDING.has(key) &&
          caller.role !== null &&
          !caller.name.startsWith('api_key')
        )
          continue;
        const withBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
        const res = await t.inject({
          method: route.method as 'GET',
          url,
          headers: {
            ...(await caller.headers()),
            ...(withBody ? { 'content-type': 'application/json' } : {}),
          },
          ...(withBody ? { payload: '{}' } : {}),
        });
        checked++;
        const code = (() => {
          try {
            return (res.json() as { error_code?: string }).error_code;
          } catch {
            return undefined;
          }
        })();
        const access = route.access!;
        let expected: 'allow' | 'S120' | 'S125';
        if (access.kind === 'public') expected = 'allow';
        else if (caller.role === null) expected = 'S120';
        else if (access.kind === 'authenticated') expected = 'allow';
        else expected = policy.allows(caller.role, access.permission) ? 'allow' : 'S125';
        const got =
          res.statusCode === 401 && code === 'S120'
            ? 'S120'
            : res.statusCode === 403 && code === 'S125'
              ? 'S125'
              : res.statusCode === 401
                ? `401 ${code}`
                : 'allow';
        if (got !== expected)
          mismatches.push(
            `${key} as ${caller.name}: expected ${expected}, got ${got} (${res.statusCode} ${code ?? ''})`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(routes.length * 9);
  });

  it('denials are audited (access.denied with S120 and S125)', async () => {
    const admin = { authorization: callers.find((c) => c.name === 'user:admin')!.headers };
    const res = await t.inject({
      method: 'GET',
      url: '/api/v1/audit/logs?action=access.denied&limit=1000',
      headers: await admin.authorization(),
    });
    const codes = new Set(
      (res.json().items as { result: { error_code: string } }[]).map((e) => e.result.error_code),
    );
    expect(codes).toEqual(new Set(['S120', 'S125']));
  });
});

describe('a route without an access declaration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp(
      'rbac_undeclared',
      {},
      { extraImports: [DiscoveryModule, UndeclaredFixtureModule] },
    );
  });
  afterAll(async () => t?.close());

  it('is found by the route table check', () => {
    expect(
      routeTable(t.app)
        .filter((r) => !r.access)
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(['GET /__test__/undeclared']);
  });

  it('is refused at run time even for an admin (fail closed)', async () => {
    const token = (await login(t, t.env.ADMIN_USERNAME!, t.env.ADMIN_PASSWORD!)).access_token;
    const res = await t.inject({
      method: 'GET',
      url: '/__test__/undeclared',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('S125');
    expect(res.body).not.toContain('should never be served');
  });
});
