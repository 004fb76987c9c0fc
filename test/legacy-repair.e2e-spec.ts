import { utcDay } from '@app/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { TronWeb } from 'tronweb';
import { ApprovalsRepository } from '../apps/staking-api/src/approvals/approvals.repository.js';
import type { Approval } from '../apps/staking-api/src/approvals/approval.types.js';
import { EndedApprovalsCleanupJob } from '../apps/staking-api/src/approvals/ended-approvals-cleanup.job.js';
import { OperationDetailsCleanupJob } from '../apps/staking-api/src/operations/operation-details-cleanup.job.js';
import { StateCountersRepository } from '../apps/staking-api/src/state-counters/state-counters.repository.js';
import {
  LEGACY_BUCKETS_MIGRATION,
  LegacyBucketsBackfillJob,
} from '../apps/staking-api/src/upkeep/legacy-buckets-backfill.job.js';
import { StateCountersRepairJob } from '../apps/staking-api/src/upkeep/state-counters-repair.job.js';
import { adminAuth, type AuthHeaders } from './support/auth.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DAY_MS = 86_400_000;
const owner = TronWeb.createRandom().address;
const days = (n: number) => new Date(Date.now() + n * DAY_MS);

/** An approval as a version before `ended_day` and the counters stored it (written directly). */
function legacyApproval(status: string, updatedAt = new Date()) {
  const id = randomUUID();
  return {
    _id: id,
    status,
    version: 1,
    rule: 'large_stake',
    required_approvals: 2,
    timeout_hours: 24,
    operation_id: randomUUID(),
    operation_kind: 'freeze',
    owner_address: owner,
    requester: { kind: 'user', id: 'requester' },
    request: { route: 'freeze', body: {} },
    request_hash: 'r',
    facts_hash: 'f',
    effect: {},
    decisions: [],
    history: [],
    expires_at: days(1),
    created_at: updatedAt,
    updated_at: updatedAt,
  };
}

function approval(): Omit<Approval, 'created_at' | 'updated_at'> {
  const { _id, created_at: _c, updated_at: _u, ...rest } = legacyApproval('pending');
  return { id: _id, ...rest } as never;
}

function legacyIncident(status: string, severity: string) {
  return {
    _id: randomUUID(),
    type: 'large_amount',
    severity,
    status,
    summary: 'legacy',
    escalation_level: 0,
    created_at: new Date(),
    updated_at: new Date(),
  };
}

/** A settled operation as a version before `settled_day` stored it. */
function legacyOperation(settledAt: Date) {
  const id = randomUUID();
  const tx = { txID: 'ef'.repeat(32), raw_data_hex: '0a'.repeat(100), raw_data: { contract: [] } };
  return {
    _id: id,
    kind: 'freeze',
    mode: 'custodial',
    state: 'confirmed',
    params: { amount_sun: '100000000', resource: 'ENERGY' },
    owner_address: owner,
    idempotency_scope: 'user:legacy',
    idempotency_key: id,
    request_hash: 'h',
    requested_by: { kind: 'user', id: 'legacy' },
    unsigned_tx: tx,
    signed_tx: { ...tx, signature: ['cd'.repeat(65)] },
    txid: 'ef'.repeat(32),
    broadcast_attempts: 1,
    history: [{ state: 'confirmed', at: settledAt }],
    settled_at: settledAt,
    created_at: settledAt,
    updated_at: settledAt,
  };
}

describe('repair of the state counters and backfill of bucket fields for records from before them', () => {
  let t: TestApp;
  let db: Connection;
  let auth: AuthHeaders;
  const counts = (scope: string) =>
    db.collection<{ _id: string }>('state_counters').findOne({ _id: scope });
  const pendingGauge = async () =>
    Number(
      /^staking_approvals_pending (\d+)$/m.exec(
        (await t.inject({ method: 'GET', url: '/metrics' })).body,
      )?.[1],
    );

  beforeAll(async () => {
    t = await bootTestApp('legacy-repair');
    db = t.app.get<Connection>(getConnectionToken());
    auth = await adminAuth(t);
  });
  afterAll(async () => t?.close());

  it('recounts approvals and incidents never counted or drifted, overwrites only on drift, records the run', async () => {
    const repo = t.app.get(ApprovalsRepository);
    await repo.insert(approval()); // counted by the write path
    // From before the counters: 2 pending, 1 executed; incidents 2 open high, 1 acknowledged low, 1 resolved.
    await db
      .collection('approvals')
      .insertMany([
        legacyApproval('pending'),
        legacyApproval('pending'),
        legacyApproval('executed'),
      ] as never[]);
    await db
      .collection('compliance_incidents')
      .insertMany([
        legacyIncident('open', 'high'),
        legacyIncident('open', 'high'),
        legacyIncident('acknowledged', 'low'),
        legacyIncident('resolved', 'critical'),
      ] as never[]);
    expect(await pendingGauge()).toBe(1);
    expect(await counts('incidents')).toBeNull();

    const job = t.app.get(StateCountersRepairJob);
    const run = await job.runOnce();
    expect(run.result).toMatchObject({
      approvals: 4,
      incidents: 4,
      filed: 1, // the executed one, under today
      drifted: 2,
      repaired: 2,
      busy: 0,
    });
    expect(await pendingGauge()).toBe(3);
    expect(await counts('approvals')).toMatchObject({ pending: 3, executed: 1 });
    expect(await counts('incidents')).toMatchObject({ open_high: 2, acknowledged_low: 1 });
    expect(await counts('incidents')).not.toHaveProperty('resolved_critical');
    const metrics = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^staking_incidents_open\{severity="high",status="open"\} 2$/m);
    expect(metrics).toMatch(/^staking_incidents_open\{severity="low",status="acknowledged"\} 1$/m);

    // Exact now: nothing is overwritten (the version stays).
    const before = await counts('approvals');
    expect((await job.runOnce()).result).toMatchObject({ drifted: 0, repaired: 0 });
    expect(await counts('approvals')).toEqual(before);

    // A drift (a lost −1 in a document from before `version`, a deleted document) is repaired
    // on the next run.
    await db
      .collection<{ _id: string }>('state_counters')
      .updateOne({ _id: 'approvals' }, { $inc: { pending: 4 }, $unset: { version: '' } });
    await db.collection<{ _id: string }>('state_counters').deleteOne({ _id: 'incidents' });
    expect(await pendingGauge()).toBe(7);
    expect((await job.runOnce()).result).toMatchObject({ drifted: 2, repaired: 2 });
    expect(await pendingGauge()).toBe(3);
    expect(await counts('approvals')).toMatchObject({ version: 1 });
    expect(await counts('incidents')).toMatchObject({ open_high: 2, acknowledged_low: 1 });

    // Every run is in job_runs and the jobs view.
    const runs = await db.collection('job_runs').find({ job: 'state-counters-repair' }).toArray();
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.outcome === 'ok')).toBe(true);
    const view = await t.inject({ method: 'GET', url: '/api/v1/system/jobs', headers: auth });
    expect(
      view.json().items.find((j: { name: string }) => j.name === 'state-counters-repair'),
    ).toMatchObject({ runs_total: 3 });
  });

  it('a recount is not written over an increment that landed after it was read (busy)', async () => {
    const counters = t.app.get(StateCountersRepository);
    const seen = await counters.snapshot('approvals');
    await counters.move('approvals', undefined, 'pending'); // a write meanwhile
    expect(await counters.overwrite('approvals', seen.version, { pending: 0 })).toBe(false);
    expect((await counters.read('approvals')).pending).toBe(4);
    // The next run sees the stored 4 pending against 3 records and repairs it.
    expect((await t.app.get(StateCountersRepairJob).runOnce()).result).toMatchObject({
      drifted: 1,
      repaired: 1,
    });
    expect((await counters.read('approvals')).pending).toBe(3);
  });

  it('ended approvals without ended_day are filed by the repair pass, then deleted by the cleanup; the counts follow', async () => {
    const long = legacyApproval('expired', days(-400));
    const recent = legacyApproval('rejected', days(-2));
    await db.collection('approvals').insertMany([long, recent] as never[]);
    const cleanup = t.app.get(EndedApprovalsCleanupJob);
    expect((await cleanup.runOnce()).result).toEqual({ deleted: 0 });

    const run = await t.app.get(StateCountersRepairJob).runOnce();
    expect(run.result).toMatchObject({ filed: 2, repaired: 1 });
    const stored = await db
      .collection<{ _id: string; ended_day?: string }>('approvals')
      .find({ _id: { $in: [long._id, recent._id] } })
      .toArray();
    const dayOf = new Map(stored.map((d) => [d._id, d.ended_day]));
    // Its own day if it is not yet past the retention (180 days), else the first day looked at.
    expect(dayOf.get(recent._id)).toBe(utcDay(days(-2)));
    expect(dayOf.get(long._id)).toBe(utcDay(days(-181)));
    expect(await counts('approvals')).toMatchObject({ expired: 1, rejected: 1, executed: 1 });

    // The old one is found by the cleanup's next tick, the recent one once past its retention.
    expect((await cleanup.runOnce()).result).toEqual({ deleted: 1 });
    expect(await db.collection('approvals').findOne({ _id: long._id as never })).toBeNull();
    expect((await cleanup.runOnce(days(179))).result).toEqual({ deleted: 1 });
    expect(await db.collection('approvals').findOne({ _id: recent._id as never })).toBeNull();
    expect(await counts('approvals')).toMatchObject({
      expired: 0,
      rejected: 0,
      executed: 1,
      pending: 3,
    });
    // The deletions moved the counts themselves: nothing to repair.
    expect((await t.app.get(StateCountersRepairJob).runOnce()).result).toMatchObject({
      drifted: 0,
    });
  });

  it('once per database: settled operations without settled_day are filed for the details cleanup and pruned by it', async () => {
    const old = legacyOperation(days(-200));
    const recent = legacyOperation(days(-10));
    const open = { ...legacyOperation(days(-200)), state: 'broadcast' } as Record<string, unknown>;
    delete open.settled_at;
    await db.collection('operations').insertMany([old, recent, open] as never[]);
    const cleanup = t.app.get(OperationDetailsCleanupJob);
    expect((await cleanup.runOnce()).result).toEqual({ pruned: 0 });

    const backfill = t.app.get(LegacyBucketsBackfillJob);
    expect((await backfill.runOnce()).result).toMatchObject({ operations: 2, completed: 1 });
    const migration = await db
      .collection<{ _id: string; completed_at: Date }>('data_migrations')
      .findOne({ _id: LEGACY_BUCKETS_MIGRATION });
    expect(migration).toMatchObject({ result: { operations: 2 } });
    expect(migration!.completed_at).toBeInstanceOf(Date);

    expect((await cleanup.runOnce()).result).toEqual({ pruned: 1 });
    const pruned = await db.collection('operations').findOne({ _id: old._id as never });
    expect(pruned).not.toHaveProperty('unsigned_tx');
    expect(pruned).toMatchObject({ state: 'confirmed', txid: old.txid });
    const kept = await db.collection('operations').findOne({ _id: recent._id as never });
    expect(kept!.settled_day).toBe(utcDay(days(-10)));
    expect(kept!.unsigned_tx).toBeTruthy();
    // 81 days on, the recent one is past the 90 days too; the open one is never touched.
    expect((await cleanup.runOnce(days(81))).result).toEqual({ pruned: 1 });
    const untouched = await db.collection('operations').findOne({ _id: open._id as never });
    expect(untouched!.unsigned_tx).toBeTruthy();
    expect(untouched).not.toHaveProperty('settled_day');

    // Recorded as done: a later legacy record is not looked for again.
    await db.collection('operations').insertOne(legacyOperation(days(-200)) as never);
    expect((await backfill.runOnce()).result).toEqual({ pending: 0 });
  });

  it('deliveries without a log place appear in the paged log once the backfill ran', async () => {
    // As if upgraded again: the completion record is gone, so the backfill runs once more.
    await db.collection('data_migrations').deleteMany({});
    const sub = randomUUID();
    await db.collection('webhook_subscriptions').insertOne({
      _id: sub,
      url: 'https://receiver.example.com/hook',
      event_types: ['operation.confirmed'],
      secret_enc: {},
      // Inactive: nothing new is published to it while the test runs.
      active: false,
      created_at: new Date(),
      created_by: 'legacy',
      delivery_seq: 2,
    } as never);
    const row = (event: string, createdAt: Date, seq?: number) => ({
      _id: randomUUID(),
      subscription_id: sub,
      event_id: event,
      event_type: 'operation.confirmed',
      body: '{}',
      state: 'delivered',
      attempts: 1,
      next_attempt_at: createdAt,
      created_at: createdAt,
      day: utcDay(createdAt),
      ...(seq ? { log_seq: seq, log_page: 0 } : {}),
    });
    await db
      .collection('webhook_deliveries')
      .insertMany([
        row('since-upgrade-1', new Date(Date.now() - 1_000), 1),
        row('since-upgrade-2', new Date(), 2),
        row('legacy-b', days(-2)),
        row('legacy-a', days(-3)),
        row('legacy-c', days(-1)),
      ] as never[]);
    const log = async () =>
      (await t.inject({ method: 'GET', url: `/api/v1/webhooks/${sub}/deliveries`, headers: auth }))
        .json()
        .items.map((d: { event_id: string }) => d.event_id);
    expect(await log()).toEqual(['since-upgrade-2', 'since-upgrade-1']);

    const run = await t.app.get(LegacyBucketsBackfillJob).runOnce();
    // The operation inserted after the first completion is filed now too.
    expect(run.result).toMatchObject({ operations: 1, log_placed: 3, completed: 1 });
    // The legacy ones take the next places, in their creation order, newest first.
    expect(await log()).toEqual([
      'legacy-c',
      'legacy-b',
      'legacy-a',
      'since-upgrade-2',
      'since-upgrade-1',
    ]);
    const stored = await db
      .collection<{ _id: string; delivery_seq: number }>('webhook_subscriptions')
      .findOne({ _id: sub });
    expect(stored!.delivery_seq).toBe(5);
  });
});
