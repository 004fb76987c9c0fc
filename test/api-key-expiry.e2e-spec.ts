import { getConnectionToken } from '@nestjs/mongoose';
import { Types, type Connection } from 'mongoose';
import { adminAuth } from './support/auth.js';
import { writeTestPolicy } from './support/policy.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DAY_MS = 24 * 3600 * 1000;

type Res = Awaited<ReturnType<TestApp['inject']>>;
const expectCode = (res: Res, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error_code).toBe(code);
};

interface ListedKey {
  id: string;
  expires_at: string | null;
  expired: boolean;
  revoked_at: string | null;
}

describe('API keys with an expiry (real DB + Redis)', () => {
  let t: TestApp;
  let db: Connection;

  beforeAll(async () => {
    // A 30-day maximum, so "beyond the maximum" is a date well inside a year.
    const policy = writeTestPolicy((p) => {
      p.authentication.api_keys.max_lifetime_days = 30;
    });
    t = await bootTestApp('api_key_expiry', { SECURITY_POLICIES_FILE: policy });
    db = t.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => t?.close());

  const create = async (payload: Record<string, unknown>) =>
    t.inject({
      method: 'POST',
      url: '/api/v1/auth/api-keys',
      headers: await adminAuth(t),
      payload: { name: 'svc', role: 'viewer', ...payload },
    });
  const me = (key: string) =>
    t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { 'x-api-key': key } });
  const listed = async (id: string): Promise<ListedKey> => {
    const res = await t.inject({
      method: 'GET',
      url: '/api/v1/auth/api-keys?limit=1000',
      headers: await adminAuth(t),
    });
    expect(res.statusCode).toBe(200);
    const key = (res.json().items as ListedKey[]).find((k) => k.id === id);
    expect(key).toBeDefined();
    return key!;
  };

  it('a key with a future expires_at works, shows its expiry, and once past it answers 401 S137 and lists as expired', async () => {
    const expiresAt = new Date(Date.now() + 2 * DAY_MS);
    const res = await create({ expires_at: expiresAt.toISOString() });
    expect(res.statusCode, res.body).toBe(201);
    const { id, key } = res.json() as { id: string; key: string };
    expect(res.json().expires_at).toBe(expiresAt.toISOString());
    expect((await me(key)).statusCode).toBe(200);
    expect(await listed(id)).toMatchObject({
      expires_at: expiresAt.toISOString(),
      expired: false,
      revoked_at: null,
    });

    // As if two days had passed.
    const past = new Date(Date.now() - 1000);
    await db
      .collection('api_keys')
      .updateOne({ _id: new Types.ObjectId(id) }, { $set: { expires_at: past } });
    const refused = await me(key);
    expectCode(refused, 401, 'S137');
    expect(refused.json().details).toEqual({ expired_at: past.toISOString() });
    expect(refused.body).not.toContain(key);
    expect(await listed(id)).toMatchObject({ expires_at: past.toISOString(), expired: true });

    // The guard audits the refusal with the code, never the key.
    const entries = await db
      .collection('audit_logs')
      .find({ action: 'auth.failure', 'result.error_code': 'S137' })
      .toArray();
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(await db.collection('audit_logs').find().toArray())).not.toContain(key);
  });

  it('a key without expires_at never expires (expires_at null, expired false)', async () => {
    const res = await create({});
    expect(res.statusCode).toBe(201);
    expect(res.json().expires_at).toBeNull();
    expect((await me(res.json().key)).statusCode).toBe(200);
    expect(await listed(res.json().id)).toMatchObject({ expires_at: null, expired: false });
  });

  it('a key stored before keys could expire (no expires_at field) still works and lists as not expiring', async () => {
    const res = await create({});
    const { id, key } = res.json() as { id: string; key: string };
    await db
      .collection('api_keys')
      .updateOne({ _id: new Types.ObjectId(id) }, { $unset: { expires_at: '' } });
    expect((await me(key)).statusCode).toBe(200);
    expect(await listed(id)).toMatchObject({ expires_at: null, expired: false });
  });

  it('a revoked key that has also expired answers S129 (revocation wins)', async () => {
    const res = await create({ expires_at: new Date(Date.now() + DAY_MS).toISOString() });
    const { id, key } = res.json() as { id: string; key: string };
    await db
      .collection('api_keys')
      .updateOne(
        { _id: new Types.ObjectId(id) },
        { $set: { expires_at: new Date(Date.now() - 1000) } },
      );
    const del = await t.inject({
      method: 'DELETE',
      url: `/api/v1/auth/api-keys/${id}`,
      headers: await adminAuth(t),
    });
    expect(del.statusCode).toBe(204);
    expectCode(await me(key), 401, 'S129');
  });

  it.each([
    ['in the past', () => new Date(Date.now() - 60_000).toISOString(), /in the future/],
    [
      'beyond the policy maximum (30 days)',
      () => new Date(Date.now() + 31 * DAY_MS).toISOString(),
      /at most 30 days/,
    ],
    ['a date without a time', () => '2099-01-01', /date-time with a zone/],
    ['a time without a zone', () => '2099-01-01T00:00:00', /date-time with a zone/],
    ['not a date', () => 'next tuesday', /ISO 8601/],
    ['an impossible date', () => '2099-02-30T00:00:00Z', /ISO 8601/],
  ])('expires_at %s → 400 S100 naming the field; no key is created', async (_, value, problem) => {
    const before = await db.collection('api_keys').countDocuments();
    const res = await create({ expires_at: value() });
    expectCode(res, 400, 'S100');
    const details = res.json().details as { field: string; problem: string }[];
    expect(details.map((d) => d.field)).toContain('expires_at');
    expect(details.map((d) => d.problem).join(' ')).toMatch(problem);
    expect(await db.collection('api_keys').countDocuments()).toBe(before);
  });

  it('an offset zone is accepted and stored as the same instant', async () => {
    const instant = new Date(Math.floor((Date.now() + 10 * DAY_MS) / 1000) * 1000);
    const withOffset = new Date(instant.getTime() + 2 * 3600 * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, '+02:00');
    const res = await create({ expires_at: withOffset });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().expires_at).toBe(instant.toISOString());
  });
});
