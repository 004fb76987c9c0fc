import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { TronWeb } from 'tronweb';
import { ApprovalsRepository } from '../apps/staking-api/src/approvals/approvals.repository.js';
import type { Approval } from '../apps/staking-api/src/approvals/approval.types.js';
import { EndedApprovalsCleanupJob } from '../apps/staking-api/src/approvals/ended-approvals-cleanup.job.js';
import { OperationDetailsCleanupJob } from '../apps/staking-api/src/operations/operation-details-cleanup.job.js';
import { OperationsRepository } from '../apps/staking-api/src/operations/operations.repository.js';
import { adminAuth, type AuthHeaders } from './support/auth.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DAY_MS = 86_400_000;
const owner = TronWeb.createRandom().address;
const days = (n: number) => new Date(Date.now() + n * DAY_MS);

/** A stored operation as the pipeline leaves it: its transaction bytes and history kept. */
function operation(state: string, extra: Record<string, unknown> = {}) {
  const id = randomUUID();
  const tx = { txID: 'ab'.repeat(32), raw_data_hex: '0a'.repeat(200), raw_data: { contract: [] } };
  return {
    _id: id,
    kind: 'freeze',
    mode: 'custodial',
    state,
    params: { amount_sun: '100000000', resource: 'ENERGY' },
    owner_address: owner,
    idempotency_scope: 'user:cleanup',
    idempotency_key: id,
    request_hash: 'h',
    requested_by: { kind: 'user', id: 'cleanup' },
    unsigned_tx: tx,
    signed_tx: { ...tx, signature: ['cd'.repeat(65)] },
    txid: 'ab'.repeat(32),
    broadcast_attempts: 1,
    history: [
      { state: 'requested', at: new Date() },
      { state, at: new Date() },
    ],
    created_at: new Date(),
    updated_at: new Date(),
    ...extra,
  };
}

function approval(): Omit<Approval, 'created_at' | 'updated_at'> {
  return {
    id: randomUUID(),
    status: 'pending',
    version: 0,
    rule: 'large_stake',
    required_approvals: 2,
    timeout_hours: 24,
    operation_id: randomUUID(),
    operation_kind: 'freeze',
    owner_address: owner,
    requester: { kind: 'user', id: 'requester' } as never,
    request: { route: 'freeze', body: {} } as never,
    request_hash: 'r',
    facts_hash: 'f',
    effect: {} as never,
    decisions: [],
    history: [],
    expires_at: days(1),
  };
}

describe('cleanup with retentions from the policy: bulky operation details, ended approvals', () => {
  let t: TestApp;
  let db: Connection;
  let auth: AuthHeaders;
  beforeAll(async () => {
    t = await bootTestApp('cleanup');
    db = t.app.get<Connection>(getConnectionToken());
    auth = await adminAuth(t);
  });
  afterAll(async () => t?.close());

  it('drops the transaction bytes of operations settled past operation_details_days (90), keeping summary, state, txid and history', async () => {
    const repo = t.app.get(OperationsRepository);
    const settled = operation('confirmed', { settlement_pending: true });
    const recent = operation('failed', { settlement_pending: true });
    const open = operation('broadcast', { tracking: 'broadcast', open_owner: owner });
    await db.collection('operations').insertMany([settled, recent, open] as never[]);
    // Settled by the real path (it files the settlement day): one today, one 60 days later.
    expect(await repo.markSettled(settled._id)).toBe(true);
    expect(await repo.markSettled(recent._id, days(60))).toBe(true);
    const job = t.app.get(OperationDetailsCleanupJob);

    // Within the retention nothing is touched.
    expect((await job.runOnce(days(89))).result).toEqual({ pruned: 0 });
    // 91 days on: the first is past it, the second (settled at +60) is not, the open one never.
    expect((await job.runOnce(days(91))).result).toEqual({ pruned: 1 });
    expect((await job.runOnce(days(91))).result).toEqual({ pruned: 0 }); // idempotent
    const [a, b, c] = await Promise.all(
      [settled, recent, open].map((o) =>
        db.collection('operations').findOne({ _id: o._id as never }),
      ),
    );
    expect(a).not.toHaveProperty('signed_tx');
    expect(a).not.toHaveProperty('unsigned_tx');
    expect(a).not.toHaveProperty('settled_day');
    expect(a).toMatchObject({
      state: 'confirmed',
      txid: settled.txid,
      kind: 'freeze',
      params: settled.params,
      owner_address: owner,
    });
    expect(a!.history).toHaveLength(2);
    expect(a!.details_pruned_at).toBeInstanceOf(Date);
    for (const kept of [b, c]) {
      expect(kept!.signed_tx).toEqual(expect.objectContaining({ txID: settled.txid }));
      expect(kept!.unsigned_tx).toBeTruthy();
    }
    // The operation is still readable through the API.
    const view = await t.inject({
      method: 'GET',
      url: `/api/v1/operations/${settled._id}`,
      headers: auth,
    });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ state: 'confirmed', transaction_hash: settled.txid });
    // 151 days on, the second goes too.
    expect((await job.runOnce(days(151))).result).toEqual({ pruned: 1 });
  });

  it('deletes approvals that ended past ended_approvals_days (180), keeps pending ones; the pending gauge follows every change', async () => {
    const repo = t.app.get(ApprovalsRepository);
    const gauge = async () =>
      Number(
        /^staking_approvals_pending (\d+)$/m.exec(
          (await t.inject({ method: 'GET', url: '/metrics' })).body,
        )?.[1],
      );
    expect(await gauge()).toBe(0);
    const [p1, p2, p3] = [
      await repo.insert(approval()),
      await repo.insert(approval()),
      await repo.insert(approval()),
    ];
    expect(await gauge()).toBe(3);
    const expired = await repo.update(p1, { status: 'expired' }, { event: 'expired' });
    const rejected = await repo.update(p2, { status: 'rejected' }, { event: 'rejected' });
    expect(expired?.status).toBe('expired');
    expect(rejected?.status).toBe('rejected');
    // A stale second writer (same version) changes nothing and counts nothing.
    expect(await repo.update(p2, { status: 'expired' }, { event: 'late' })).toBeNull();
    expect(await gauge()).toBe(1);
    const job = t.app.get(EndedApprovalsCleanupJob);
    expect((await job.runOnce(days(179))).result).toEqual({ deleted: 0 });
    expect((await job.runOnce(days(181))).result).toEqual({ deleted: 2 });
    expect((await job.runOnce(days(181))).result).toEqual({ deleted: 0 });
    const left = await db.collection('approvals').find({}).toArray();
    expect(left.map((d) => d._id)).toEqual([p3.id]);
    expect(await gauge()).toBe(1);
    // The maintained counts equal a recount of what is stored.
    const counts = await db.collection('state_counters').findOne({ _id: 'approvals' as never });
    expect(counts).toMatchObject({ pending: 1, expired: 0, rejected: 0 });
  });
});
