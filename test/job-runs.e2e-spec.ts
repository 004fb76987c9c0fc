import { DistributedLock } from '@app/common';
import { IdempotencyCleanupJob } from '@app/database';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { OperationReconciliationJob } from '../apps/staking-api/src/operations/operation-reconciliation.job.js';
import { JobRunsCleanupJob } from '../apps/staking-api/src/system/jobs/job-runs-cleanup.job.js';
import { REPLICA_ID } from '../apps/staking-api/src/system/jobs/replica-id.js';
import { adminAuth } from './support/auth.js';
import { bootReplicaPair, type TestApp } from './support/test-app.js';

interface RunDoc {
  _id: string;
  job: string;
  replica: string;
  outcome: string;
  day: string;
  duration_ms: number;
}

describe('job runs: two replicas, each tick once, recorded and listed', () => {
  let a: TestApp;
  let b: TestApp;
  let db: Connection;
  const runs = (job: string) => db.collection<RunDoc>('job_runs').find({ job }).toArray();

  beforeAll(async () => {
    [a, b] = await bootReplicaPair('job_runs');
    db = a.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('the two replicas have different ids', () => {
    expect(a.app.get(REPLICA_ID)).not.toBe(b.app.get(REPLICA_ID));
  });

  it('over several ticks started on both replicas at once, each tick runs exactly once and is recorded once', async () => {
    const ticks = 5;
    let ran = 0;
    for (let i = 0; i < ticks; i++) {
      const outcomes = await Promise.all([
        a.app.get(OperationReconciliationJob).runOnce(),
        b.app.get(OperationReconciliationJob).runOnce(),
      ]);
      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      ran += outcomes.filter((o) => o.ran).length;
    }
    expect(ran).toBe(ticks);
    const recorded = await runs('operation-reconciliation');
    expect(recorded).toHaveLength(ticks);
    expect(recorded.every((r) => r.outcome === 'ok' && r.duration_ms >= 0)).toBe(true);
    const replicas = new Set([a.app.get(REPLICA_ID), b.app.get(REPLICA_ID)]);
    expect(recorded.every((r) => replicas.has(r.replica))).toBe(true);
  });

  it('GET /api/v1/system/jobs lists every job with its last run, and tells the replica that ran it', async () => {
    expect((await a.app.get(IdempotencyCleanupJob).runOnce()).ran).toBe(true);
    const onA = (
      await a.inject({ method: 'GET', url: '/api/v1/system/jobs', headers: await adminAuth(a) })
    ).json() as { replica: string; items: Record<string, unknown>[] };
    const onB = (
      await b.inject({ method: 'GET', url: '/api/v1/system/jobs', headers: await adminAuth(b) })
    ).json() as { replica: string; items: Record<string, unknown>[] };
    const names = onA.items.map((j) => j.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'operation-tracker',
        'operation-reconciliation',
        'idempotency-cleanup',
        'job-runs-cleanup',
        'audit-retention',
      ]),
    );
    const cleanupA = onA.items.find((j) => j.name === 'idempotency-cleanup')!;
    const cleanupB = onB.items.find((j) => j.name === 'idempotency-cleanup')!;
    expect(cleanupA).toMatchObject({
      is_leader: true,
      runs_total: 1,
      failures_total: 0,
      interval_seconds: 600,
      last_run: { outcome: 'ok', replica: onA.replica, errors: 0 },
    });
    expect(cleanupB).toMatchObject({ is_leader: false, runs_total: 1 });
    // A job that never ran has no last run; with JOBS_ENABLED=false none is "late".
    const never = onA.items.find((j) => j.name === 'audit-retention')!;
    expect(never.last_run).toBeUndefined();
    expect(never.late).toBe(false);
  });

  it('a viewer may read the jobs (system:read); without credentials it is S120', async () => {
    const res = await a.inject({ method: 'GET', url: '/api/v1/system/jobs' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('S120');
  });

  it('/metrics carries the per-job counters, duration and last success of the replica that ran', async () => {
    const text = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/staking_job_runs_total\{job="idempotency-cleanup",outcome="ok"\} 1/);
    expect(text).toMatch(/staking_job_run_duration_seconds_count\{job="idempotency-cleanup"\} 1/);
    expect(text).toMatch(
      /staking_job_last_success_timestamp_seconds\{job="idempotency-cleanup"\} \d/,
    );
    // Declared from start for every job, so alerts see a job that never ran.
    expect(text).toMatch(/staking_job_runs_total\{job="audit-retention",outcome="failed"\} 0/);
  });

  it('a replica that took a lease and died (never renewed, never released) blocks the job only until the lease ends; the other replica runs the next tick', async () => {
    const lock = a.app.get(DistributedLock);
    // The dead replica's tick: a lease of 1.5 s that nobody renews or releases.
    let release!: () => void;
    const dead = lock.runExclusive(
      'job:operation-reconciliation',
      1_500,
      () => new Promise<void>((r) => (release = r)),
    );
    await new Promise((r) => setTimeout(r, 100));
    const before = (await runs('operation-reconciliation')).length;
    expect((await b.app.get(OperationReconciliationJob).runOnce()).ran).toBe(false);
    await new Promise((r) => setTimeout(r, 1_700));
    const next = await b.app.get(OperationReconciliationJob).runOnce();
    expect(next.ran).toBe(true);
    const after = await runs('operation-reconciliation');
    expect(after).toHaveLength(before + 1);
    release();
    await dead;
  });

  it('the cleanup job deletes runs older than the retention by day, and keeps the recent ones', async () => {
    const recent = (await runs('operation-reconciliation')).length;
    await db.collection<RunDoc>('job_runs').insertOne({
      _id: 'old-run',
      job: 'operation-reconciliation',
      replica: 'gone',
      outcome: 'ok',
      duration_ms: 1,
      day: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
    });
    const run = await a.app.get(JobRunsCleanupJob).runOnce();
    expect(run.result).toEqual({ deleted: 1 });
    expect(await runs('operation-reconciliation')).toHaveLength(recent);
  });
});
