import { SecurityPolicy, SENSITIVE_FIELDS } from '@app/common';
import { DiscoveryModule } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { EchoFixtureModule } from './fixtures/echo.module.js';
import { login } from './support/auth.js';
import { captureStdoutLogs } from './support/capture-logs.js';
import { routeTable } from './support/route-table.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DUMMY_ID = '000000000000000000000000';

describe('masking: secrets sent on every write path appear in no audit entry, log line or answer', () => {
  let t: TestApp;
  let logs: ReturnType<typeof captureStdoutLogs>;
  const answers: string[] = [];
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    logs = captureStdoutLogs();
    t = await bootTestApp(
      'masking',
      { LOG_LEVEL: 'trace', TRON_FULL_HOST: 'http://127.0.0.1:9' },
      { extraImports: [DiscoveryModule, EchoFixtureModule] },
    );
    const fields = new Set<string>([
      ...SENSITIVE_FIELDS,
      ...t.app.get(SecurityPolicy).maskedFields,
    ]);
    for (const field of fields)
      secrets.set(field, `S3cr3t-${field}-${randomBytes(6).toString('hex')}`);
  });
  afterAll(async () => {
    await t?.close();
    logs?.restore();
  });

  const send = async (options: Parameters<TestApp['inject']>[0]) => {
    const res = await t.inject(options as never);
    answers.push(JSON.stringify(res.headers), res.body);
    return res;
  };
  const allSecrets = () => Object.fromEntries(secrets);

  it('sends every sensitive field to every write route in the route table', async () => {
    const writes = routeTable(t.app).filter((r) =>
      ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method),
    );
    expect(writes.length).toBeGreaterThanOrEqual(8);
    for (const route of writes) {
      // A fresh session per route: the sweep also hits logout, which ends the session it runs in.
      const admin = {
        authorization: `Bearer ${(await login(t, t.env.ADMIN_USERNAME!, t.env.ADMIN_PASSWORD!)).access_token}`,
      };
      const url = route.path.replace(/:[^/]+/g, DUMMY_ID);
      // Once with nothing but secrets, once with them beside an otherwise plausible body.
      for (const body of [
        allSecrets(),
        { username: 'someone', role: 'viewer', name: 'n', ...allSecrets() },
      ]) {
        await send({
          method: route.method as 'POST',
          url,
          headers: { ...admin, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
      }
    }
  });

  it('also through the paths that legitimately take secrets: login, refresh, create and change a user', async () => {
    const admin = {
      authorization: `Bearer ${(await login(t, t.env.ADMIN_USERNAME!, t.env.ADMIN_PASSWORD!)).access_token}`,
    };
    const password = secrets.get('password')!;
    const created = await send({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { username: 'masked-user', password, role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const wrong = await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'masked-user', password: `${password}-wrong` },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'masked-user', password },
    });
    expect(ok.statusCode).toBe(200);
    const refreshed = await send({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: ok.json().refresh_token },
    });
    expect(refreshed.statusCode).toBe(200);
    // The spent refresh token and the first access token are now secrets that must not be stored either.
    secrets.set('spent refresh token', ok.json().refresh_token);
    secrets.set('first access token', ok.json().access_token);
    const newPassword = secrets.get('new_password')!;
    const patched = await send({
      method: 'PATCH',
      url: `/api/v1/users/${created.json().id}`,
      headers: admin,
      payload: { password: newPassword },
    });
    expect(patched.statusCode).toBe(200);
    // An API key sent as a header and as a body field.
    const key = (
      await send({
        method: 'POST',
        url: '/api/v1/auth/api-keys',
        headers: admin,
        payload: { name: 'svc', role: 'operator' },
      })
    ).json().key as string;
    secrets.set('api key', key);
    const viaKey = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { 'x-api-key': key },
      payload: { api_key: key },
    });
    expect(viaKey.statusCode).toBe(204); // the key authenticated the request; logout ignores the body
  });

  it('the audit store holds none of the values', async () => {
    const db = t.app.get<Connection>(getConnectionToken());
    const stored = JSON.stringify(await db.collection('audit_logs').find().toArray());
    expect(stored.length).toBeGreaterThan(1000);
    expect(stored).toContain('[REDACTED]');
    for (const [field, value] of secrets)
      expect(stored, `audit store leaks ${field}`).not.toContain(value);
  });

  it('the logs hold none of the values (pino output captured)', () => {
    const text = logs.text();
    const urls = [...text.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
    // The capture is live: it holds the request log lines of the write paths above.
    expect(urls).toEqual(
      expect.arrayContaining(['/api/v1/users', '/api/v1/auth/login', '/api/v1/auth/refresh']),
    );
    for (const [field, value] of secrets) expect(text, `logs leak ${field}`).not.toContain(value);
  });

  it('probes and scrapes write no request line; API requests and /status do', async () => {
    for (const url of ['/health', '/health/live', '/health/ready', '/metrics', '/status'])
      await t.inject({ method: 'GET', url });
    const completed = [...logs.text().matchAll(/"url":"([^"]+)"[^\n]*"request completed"/g)].map(
      (m) => m[1]!.split('?')[0],
    );
    expect(completed).toContain('/status');
    expect(completed).toContain('/api/v1/auth/login');
    expect(completed.filter((u) => u.startsWith('/health') || u === '/metrics')).toEqual([]);
  });

  it('no answer echoes a value that was sent', () => {
    const text = answers.join('\n');
    expect(text.length).toBeGreaterThan(1000);
    for (const [field, value] of secrets) {
      if (field === 'spent refresh token' || field === 'first access token' || field === 'api key')
        continue; // issued by the answers themselves
      expect(text, `an answer leaks ${field}`).not.toContain(value);
    }
  });
});
