import { AuditTrail } from '@app/auth';
import { DistributedLock } from '@app/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { verifyArchiveFile } from '../apps/staking-api/src/audit/archive/audit-archive-file.js';
import { AuditRetentionJob } from '../apps/staking-api/src/audit/archive/audit-retention.job.js';
import { adminAuth, createUser, loginAs } from './support/auth.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DAY_MS = 24 * 3600 * 1000;

describe('audit trail: recording, query, export, hash chain, archival (real DB)', () => {
  let t: TestApp;
  let b: TestApp; // a second replica on the same DB and Redis
  let db: Connection;

  beforeAll(async () => {
    t = await bootTestApp('audit');
    b = await bootTestApp('audit', {
      MONGODB_URI: t.env.MONGODB_URI!,
      REDIS_KEY_PREFIX: t.env.REDIS_KEY_PREFIX!,
      JWT_SECRET: t.env.JWT_SECRET!,
      ADMIN_PASSWORD: t.env.ADMIN_PASSWORD!,
      AUDIT_ARCHIVE_DIR: t.env.AUDIT_ARCHIVE_DIR!,
    });
    db = t.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const logs = async (query: string) => {
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/audit/logs?${query}`,
      headers: await adminAuth(t),
    });
    expect(res.statusCode).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- audit entries are read field by field below
    return res.json() as { items: Record<string, any>[]; total: number };
  };
  const verify = async (query = '') => {
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/audit/verify${query}`,
      headers: await adminAuth(t),
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('records a mutating request with actor, route, masked parameters and result', async () => {
    const admin = await adminAuth(t);
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...admin, 'user-agent': 'audit-test/1.0', 'x-request-id': 'audit-req-0001' },
      payload: { username: 'audited-user', password: 'Very-Secret-Pass-1', role: 'viewer' },
    });
    expect(res.statusCode).toBe(201);
    const { items } = await logs('request_id=audit-req-0001');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      action: 'POST /api/v1/users',
      resource: '/api/v1/users',
      actor: { type: 'user', username: 'admin', role: 'admin' },
      request_id: 'audit-req-0001',
      user_agent: 'audit-test/1.0',
      params: { body: { username: 'audited-user', password: '[REDACTED]', role: 'viewer' } },
      result: { status: 'success', http_status: 201, error_code: null },
    });
    expect(items[0]!.ip).toBe('127.0.0.1');
    expect(items[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records a refused write with its error code', async () => {
    await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...(await adminAuth(t)), 'x-request-id': 'audit-req-0002' },
      payload: { username: 'x', password: 'short', role: 'viewer', extra: 1 },
    });
    const { items } = await logs('request_id=audit-req-0002');
    expect(items[0]!.result).toMatchObject({
      status: 'failure',
      error_code: 'S111',
      http_status: 400,
    });
  });

  it('records login success and failure as security events', async () => {
    const user = await createUser(t, 'viewer');
    await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: 'wrong-password-1' },
    });
    await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: user.password },
    });
    expect((await logs(`action=auth.failure&actor_id=${user.id}`)).total).toBe(1);
    expect((await logs(`action=auth.login&actor_id=${user.id}`)).total).toBe(1);
  });

  it('domain events from other modules go through the injected AuditTrail', async () => {
    await t.app.get(AuditTrail).record({
      action: 'freeze',
      resource: 'operation:op-1',
      principal: { kind: 'api_key', id: 'k-1', role: 'operator' },
      params: {
        address: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
        amount_trx: '10',
        private_key: 'deadbeef'.repeat(8),
      },
      result: { status: 'success' },
    });
    const { items } = await logs('action=freeze');
    expect(items[0]).toMatchObject({
      resource: 'operation:op-1',
      actor: { type: 'api_key', id: 'k-1' },
    });
    expect(items[0]!.params.private_key).toBe('[REDACTED]');
  });

  it('filters and paginates, newest first; a reversed date range is 400 S115', async () => {
    const all = await logs('limit=1000');
    expect(all.total).toBeGreaterThan(5);
    const seqs = all.items.map((e) => e.seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    const page = await logs('skip=1&limit=2');
    expect(page.items.map((e) => e.seq)).toEqual(seqs.slice(1, 3));
    expect(
      (await logs('status=failure&limit=1000')).items.every((e) => e.result.status === 'failure'),
    ).toBe(true);
    const future = await logs(`start_date=${new Date(Date.now() + DAY_MS).toISOString()}`);
    expect(future.total).toBe(0);
    const bad = await t.inject({
      method: 'GET',
      url: '/api/v1/audit/logs?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z',
      headers: await adminAuth(t),
    });
    expect(bad.json().error_code).toBe('S115');
  });

  it('exports as JSON Lines and CSV (streamed); a manager may read but not export', async () => {
    const total = (await logs('limit=1')).total;
    const jsonl = await t.inject({
      method: 'GET',
      url: '/api/v1/audit/export?format=jsonl',
      headers: await adminAuth(t),
    });
    expect(jsonl.statusCode).toBe(200);
    expect(jsonl.headers['content-type']).toContain('application/x-ndjson');
    const lines = jsonl.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(total);
    expect(lines[0]).toMatchObject({ seq: 1, prev_hash: '0'.repeat(64) });

    const csv = await t.inject({
      method: 'GET',
      url: '/api/v1/audit/export?format=csv&action=auth.login',
      headers: await adminAuth(t),
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.trim().split('\n');
    expect(rows[0]).toMatch(/^seq,time,action,/);
    expect(rows.slice(1).every((r) => r.includes(',auth.login,'))).toBe(true);

    const manager = await loginAs(t, 'manager');
    expect(
      (await t.inject({ method: 'GET', url: '/api/v1/audit/logs', headers: manager })).statusCode,
    ).toBe(200);
    expect(
      (
        await t.inject({ method: 'GET', url: '/api/v1/audit/export?format=csv', headers: manager })
      ).json().error_code,
    ).toBe('S125');
  });

  it('appends from two replicas at once keep one unbroken chain', async () => {
    const before = (await verify()).head_seq as number;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? b : t).app
          .get(AuditTrail)
          .record({ action: 'concurrency.test', params: { i }, result: { status: 'success' } }),
      ),
    );
    const result = await verify();
    expect(result).toMatchObject({ valid: true });
    expect(result.head_seq).toBeGreaterThanOrEqual(before + 40);
    expect((await logs('action=concurrency.test&limit=1000')).total).toBe(40);
  });

  describe('tampering is found by /audit/verify', () => {
    const logsCol = () => db.collection('audit_logs');

    it('an edited entry', async () => {
      const target = await logsCol().findOne({ action: 'auth.login' });
      await logsCol().updateOne({ _id: target!._id }, { $set: { action: 'auth.logout' } });
      const result = await verify();
      expect(result).toMatchObject({
        valid: false,
        break: { seq: target!.seq, reason: 'hash_mismatch' },
      });
      await logsCol().updateOne({ _id: target!._id }, { $set: { action: 'auth.login' } });
      expect((await verify()).valid).toBe(true);
    });

    it('a removed entry in the middle and one at the end', async () => {
      const middle = await logsCol().findOne({ action: 'concurrency.test' });
      await logsCol().deleteOne({ _id: middle!._id });
      expect(await verify()).toMatchObject({
        valid: false,
        break: { seq: middle!.seq, reason: 'missing' },
      });
      await logsCol().insertOne(middle!);

      const head = (await verify()).head_seq as number;
      const last = await logsCol().findOne({ seq: head });
      await logsCol().deleteOne({ _id: last!._id });
      expect(await verify()).toMatchObject({
        valid: false,
        break: { seq: head, reason: 'missing' },
      });
      await logsCol().insertOne(last!);
      expect((await verify()).valid).toBe(true);
    });
  });

  describe('retention: archive to compressed JSONL, then remove (leader-locked job)', () => {
    it('archives everything older than 90 days, keeps the chain verifiable, and a second run does nothing', async () => {
      const job = t.app.get(AuditRetentionJob);
      const headBefore = (await verify()).head_seq as number;
      const first = await job.runOnce(new Date(Date.now() + 91 * DAY_MS));
      expect(first.ran).toBe(true);
      expect(first.result).toMatchObject({
        archived: headBefore,
        deleted: headBefore,
        files: 1,
        anchor_seq: headBefore,
      });

      const files = await readdir(t.env.AUDIT_ARCHIVE_DIR!);
      expect(files).toHaveLength(1);
      const check = await verifyArchiveFile(join(t.env.AUDIT_ARCHIVE_DIR!, files[0]!));
      expect(check).toMatchObject({
        valid: true,
        checked: headBefore,
        header: { from_seq: 1, to_seq: headBefore },
      });

      expect(await db.collection('audit_logs').countDocuments({ seq: { $lte: headBefore } })).toBe(
        0,
      );
      const after = await verify('?include_archives=true');
      expect(after).toMatchObject({
        valid: true,
        anchor: { seq: headBefore },
        archives: { valid: true, files: 1 },
      });
      expect(after.checked).toBe(0);

      // New entries continue the chain from the archived part.
      await b.app
        .get(AuditTrail)
        .record({ action: 'after.archive', result: { status: 'success' } });
      expect(await verify('?include_archives=true')).toMatchObject({
        valid: true,
        checked: 1,
        last_seq: headBefore + 1,
      });

      const second = await job.runOnce(new Date(Date.now() + 91 * DAY_MS));
      expect(second.result).toMatchObject({ archived: 1, files: 1 });
      const third = await job.runOnce(new Date(Date.now() + 91 * DAY_MS));
      expect(third.result).toMatchObject({ archived: 0, deleted: 0, files: 0 });
      expect(await verify('?include_archives=true')).toMatchObject({
        valid: true,
        archives: { files: 2 },
      });

      // While one replica holds the job's lock, another skips the tick.
      const lock = await t.app.get(DistributedLock).acquire('job:audit-retention', 10_000);
      expect(await b.app.get(AuditRetentionJob).runOnce()).toEqual({ ran: false });
      await lock!.release();
    });

    it('a tampered archive file fails its own check', async () => {
      const dir = t.env.AUDIT_ARCHIVE_DIR!;
      const file = join(dir, (await readdir(dir)).sort()[0]!);
      const original = await readFile(file);
      const lines = gunzipSync(original).toString('utf8').trim().split('\n');
      const entry = JSON.parse(lines[2]!);
      entry.action = 'forged';
      lines[2] = JSON.stringify(entry);
      await writeFile(file, gzipSync(lines.join('\n') + '\n'));
      expect(await verifyArchiveFile(file)).toMatchObject({
        valid: false,
        break: { seq: entry.seq, reason: 'hash_mismatch' },
      });
      expect((await verify('?include_archives=true')).valid).toBe(false);
      await writeFile(file, original);
      expect((await verify('?include_archives=true')).valid).toBe(true);
    });
  });
});
