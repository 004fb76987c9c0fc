import { getConnectionToken } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BackupJob } from '../apps/staking-api/src/backups/backup.job.js';
import { runCli } from './support/api-process.js';
import { adminAuth } from './support/auth.js';
import { writeTestPolicy } from './support/policy.js';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';
import { bootTestApp } from './support/test-app.js';

const { EJSON } = mongoose.mongo.BSON;

/** Every document of every collection, as canonical Extended JSON sorted per collection. */
async function snapshot(db: Connection): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const { name } of await db.db!.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.startsWith('system.')) continue;
    const docs = await db.collection(name).find({}).toArray();
    if (docs.length) out[name] = docs.map((d) => EJSON.stringify(d, { relaxed: false })).sort();
  }
  return out;
}

describe('backups: scheduled logical backup with retention, restore into an empty database', () => {
  let f: StakingFixture;
  let db: Connection;
  const dir = join(tmpdir(), 'tron-staking-tests', `backups-${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    const policy = writeTestPolicy((p) => {
      p.operations.backup.keep = 2;
    });
    f = await startStakingFixture('backups', { BACKUP_DIR: dir, SECURITY_POLICIES_FILE: policy });
    db = f.t.app.get<Connection>(getConnectionToken());
    const address = await f.managedAccount(1_000);
    const res = await f.post('/api/v1/tron/staking/freeze', {
      address,
      amount: 10,
      resource: 'ENERGY',
      duration: 3,
    });
    expect(res.statusCode).toBe(201);
    await f.settle();
  });
  afterAll(() => f?.close());

  it('writes a compressed backup of every collection and keeps the newest `keep` files', async () => {
    const job = f.t.app.get(BackupJob);
    const base = Date.now();
    for (let i = 0; i < 3; i++) {
      const run = await job.runOnce(new Date(base + i * 1000));
      expect(run.ran).toBe(true);
      expect((run.result as { documents: number }).documents).toBeGreaterThan(10);
      expect(run.result).toMatchObject({ pruned: i < 2 ? 0 : 1 });
    }
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files.every((n) => /^backup-\d{8}T\d{6}Z\.jsonl\.gz$/.test(n))).toBe(true);
  });

  it('backup:restore into an empty database gives the same documents and a verifying audit chain; a second restore is refused', async () => {
    // A last backup of the state as it is now (the job's own run was recorded after the others).
    const run = await f.t.app.get(BackupJob).runOnce(new Date(Date.now() + 10_000));
    expect(run.ran).toBe(true);
    const source = await snapshot(db);
    const file = join(dir, readdirSync(dir).sort().at(-1)!);
    expect(existsSync(file)).toBe(true);

    const target = new URL(f.t.env.MONGODB_URI!);
    target.pathname = `${target.pathname}_restored`;
    const env = { ...f.t.env, MONGODB_URI: target.toString() };
    const restored = await runCli(env, ['backup:restore', file]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const counts = JSON.parse(restored.stdout) as { documents: number; collections: number };
    const want = Object.values(source).reduce((n, docs) => n + docs.length, 0);
    // The backup was taken before its own job run was recorded in job_runs/job_states.
    expect(counts.documents).toBeGreaterThanOrEqual(want - 2);

    const conn = await mongoose.createConnection(target.toString()).asPromise();
    try {
      const copy = await snapshot(conn);
      for (const name of [
        'staking_records',
        'operations',
        'audit_logs',
        'managed_accounts',
        'users',
      ])
        if (source[name]) expect(copy[name], name).toEqual(source[name]);
      expect(Object.keys(copy).length).toBeGreaterThan(5);
    } finally {
      await conn.close();
    }

    const again = await runCli(env, ['backup:restore', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);

    const app = await bootTestApp('backups_restored', {
      MONGODB_URI: target.toString(),
      KEYSTORE_MASTER_SECRET: f.t.env.KEYSTORE_MASTER_SECRET!,
      JWT_SECRET: f.t.env.JWT_SECRET!,
      ADMIN_PASSWORD: f.t.env.ADMIN_PASSWORD!,
    });
    try {
      const verify = await app.inject({
        method: 'GET',
        url: '/api/v1/audit/verify',
        headers: await adminAuth(app),
      });
      expect(verify.statusCode).toBe(200);
      expect(verify.json()).toMatchObject({ valid: true });
      expect(verify.json().checked).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
