import { randomBytes } from 'node:crypto';
import { EchoFixtureModule } from './fixtures/echo.module.js';
import { adminAuth, createUser, login } from './support/auth.js';
import { writeTestPolicy } from './support/policy.js';
import { bootReplicaPair, type TestApp } from './support/test-app.js';

type Res = Awaited<ReturnType<TestApp['inject']>>;
// A new client address per call: a random one could hit an address an earlier test blocked.
let lastHost = 0;
const ip = () => `203.0.113.${++lastHost}`;

/** Two replicas sharing one Redis prefix and one DB, with small limits so a test can cross them. */
const bootPair = (suite: string, policyFile: string) =>
  bootReplicaPair(
    suite,
    { RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: '127.0.0.1', SECURITY_POLICIES_FILE: policyFile },
    { extraImports: [EchoFixtureModule] },
  );

const expect429 = (res: Res, scope?: string) => {
  expect(res.statusCode).toBe(429);
  const body = res.json();
  expect(body.error_code).toBe('S126');
  const retry = Number(res.headers['retry-after']);
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(60);
  if (scope) expect(body.details.scope).toBe(scope);
};

describe('rate limits shared by two app instances through one Redis', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const policy = writeTestPolicy((p) => {
      p.rate_limiting.global = { per_second: 1000, per_minute: 100_000 };
      p.rate_limiting.per_ip = { per_second: 1000, per_minute: 6 };
      p.rate_limiting.per_user = { per_second: 1000, per_minute: 4 };
      p.rbac.roles.viewer.rate_limit_per_minute = 3;
      // A role without a number of its own falls back to per_user.
      delete p.rbac.roles.operator.rate_limit_per_minute;
      p.rate_limiting.per_endpoint.push({ path: '/__test__/echo', method: 'GET', per_minute: 2 });
    });
    [a, b] = await bootPair('rate_limit', policy);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('per IP: 6 a minute across both instances, even when requests race; then 429 S126 with Retry-After on both', async () => {
    const from = ip();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': from } }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(6);
    for (const r of results.filter((r) => r.statusCode !== 200)) expect429(r, 'ip-minute');
    expect429(await a.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': from } }));
    expect429(await b.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': from } }));
    // The real client IP comes from X-Forwarded-For (TRUST_PROXY trusts the inject peer, 127.0.0.1):
    // another client is unaffected.
    expect(
      (await a.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': ip() } }))
        .statusCode,
    ).toBe(200);
  });

  it('health and metrics are exempt', async () => {
    const from = ip();
    for (let i = 0; i < 8; i++)
      await a.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': from } });
    for (const url of ['/health/live', '/health/ready', '/health', '/metrics'])
      expect(
        (await b.inject({ method: 'GET', url, headers: { 'x-forwarded-for': from } })).statusCode,
      ).toBe(200);
  });

  it('per user, for a role that sets no number: 4 a minute whatever IP the requests come from, on either instance', async () => {
    const user = await createUser(a, 'operator');
    const { access_token } = await login(a, user.username, user.password);
    const headers = () => ({ authorization: `Bearer ${access_token}`, 'x-forwarded-for': ip() });
    for (let i = 0; i < 4; i++)
      expect(
        (
          await (i % 2 ? a : b).inject({
            method: 'GET',
            url: '/api/v1/auth/me',
            headers: headers(),
          })
        ).statusCode,
      ).toBe(200);
    expect429(
      await a.inject({ method: 'GET', url: '/api/v1/auth/me', headers: headers() }),
      'user-minute',
    );
  });

  it("per role: the viewer's 3 a minute", async () => {
    const user = await createUser(a, 'viewer');
    const { access_token } = await login(a, user.username, user.password);
    const headers = () => ({ authorization: `Bearer ${access_token}`, 'x-forwarded-for': ip() });
    for (let i = 0; i < 3; i++)
      expect(
        (await b.inject({ method: 'GET', url: '/api/v1/auth/me', headers: headers() })).statusCode,
      ).toBe(200);
    expect429(
      await a.inject({ method: 'GET', url: '/api/v1/auth/me', headers: headers() }),
      'role-minute',
    );
  });

  it('per endpoint: the policy rule for one route limits that route only', async () => {
    const from = ip();
    for (let i = 0; i < 2; i++)
      expect(
        (
          await a.inject({
            method: 'GET',
            url: '/__test__/echo',
            headers: { 'x-forwarded-for': from },
          })
        ).statusCode,
      ).toBe(200);
    expect429(
      await b.inject({
        method: 'GET',
        url: '/__test__/echo',
        headers: { 'x-forwarded-for': from },
      }),
      'endpoint',
    );
    expect(
      (await b.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': from } }))
        .statusCode,
    ).toBe(200);
  });

  it('a block is audited once as rate_limit, not once per refused request', async () => {
    const from = ip();
    for (let i = 0; i < 10; i++)
      await b.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': from } });
    const res = await a.inject({
      method: 'GET',
      url: '/api/v1/audit/logs?action=rate_limit&limit=1000',
      headers: { ...(await adminAuth(a)), 'x-forwarded-for': ip() },
    });
    const entries = (res.json().items as { ip: string; result: { error_code: string } }[]).filter(
      (e) => e.ip === from,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]!.result.error_code).toBe('S126');
  });
});

describe('the global limit counts every client together', () => {
  it('caps all callers at the global number across instances', async () => {
    const policy = writeTestPolicy((p) => {
      p.rate_limiting.global = { per_second: 1000, per_minute: 5 };
      p.rate_limiting.per_ip = { per_second: 1000, per_minute: 1000 };
    });
    const [a, b] = await bootPair(`rate_global_${randomBytes(2).toString('hex')}`, policy);
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++)
        codes.push(
          (
            await (i % 2 ? a : b).inject({
              method: 'GET',
              url: '/',
              headers: { 'x-forwarded-for': ip() },
            })
          ).statusCode,
        );
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
