import { TransactionSigner, TronGateway } from '@app/tron';
import { TronWeb } from 'tronweb';
import { getConnectionToken } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { hourBucket } from '../apps/staking-api/src/staking/record-bookkeeping.js';
import { StakingCache } from '../apps/staking-api/src/staking/staking-cache.js';
import { StakingCountersRepairJob } from '../apps/staking-api/src/staking/staking-counters-repair.job.js';
import { StateCountersRepairJob } from '../apps/staking-api/src/upkeep/state-counters-repair.job.js';
import { LegacyBucketsBackfillJob } from '../apps/staking-api/src/upkeep/legacy-buckets-backfill.job.js';
import { HoldingExpiryJob } from '../apps/staking-api/src/staking/staking-jobs.js';
import { AuditRetentionJob } from '../apps/staking-api/src/audit/archive/audit-retention.job.js';
import { OperationReconciliationJob } from '../apps/staking-api/src/operations/operation-reconciliation.job.js';
import { IdempotencyCleanupJob } from '@app/database';
import { SessionCleanupJob } from '../apps/staking-api/src/auth/sessions/session-cleanup.job.js';
import { VotePolicyJob } from '../apps/staking-api/src/voting/vote-policy.job.js';
import { ClaimPolicyJob } from '../apps/staking-api/src/rewards/claim-policy.job.js';
import { EnergyPolicyJob } from '../apps/staking-api/src/delegation/energy-policies/energy-policy.job.js';
import { ApprovalExpiryJob } from '../apps/staking-api/src/approvals/approval-expiry.job.js';
import { AllowedReceiversService } from '../apps/staking-api/src/approvals/allow-lists/allowed-receivers.service.js';
import { loginAs } from './support/auth.js';
import { ComplianceAlertsJob } from '../apps/staking-api/src/compliance/alerts/compliance-alerts.job.js';
import { SanctionsRefreshJob } from '../apps/staking-api/src/compliance/sanctions/sanctions-refresh.job.js';
import { PepRescreenJob } from '../apps/staking-api/src/compliance/screening/pep-rescreen.job.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StuckOperationsJob } from '../apps/staking-api/src/monitoring/stuck-operations.job.js';
import { JobRunsCleanupJob } from '../apps/staking-api/src/system/jobs/job-runs-cleanup.job.js';
import { WebhookDeliveriesCleanupJob } from '../apps/staking-api/src/webhooks/webhook-deliveries-cleanup.job.js';
import { WebhookDispatchJob } from '../apps/staking-api/src/webhooks/webhook-dispatch.job.js';
import { OperationDetailsCleanupJob } from '../apps/staking-api/src/operations/operation-details-cleanup.job.js';
import { EndedApprovalsCleanupJob } from '../apps/staking-api/src/approvals/ended-approvals-cleanup.job.js';
import { ResourceRefreshJob } from '../apps/staking-api/src/resources/resource-refresh.job.js';
import { ResourceSnapshotsCleanupJob } from '../apps/staking-api/src/resources/resource-snapshots-cleanup.job.js';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';

const DAY_S = 86_400;
const randomAddress = () => TronWeb.createRandom().address;
const STAKED = ['pending', 'active', 'expired'];

interface RawRecord {
  staking_id: string;
  address: string;
  status: string;
  amount_sun: number;
  resource: string;
  due?: string;
}

/** A filter value that is an equality (a value, or `$eq`), not an operator such as a range. */
const isEquality = (v: unknown) =>
  v === null ||
  typeof v !== 'object' ||
  (v as object).constructor !== Object ||
  Object.keys(v as object).every((k) => k === '$eq' || !k.startsWith('$'));

/** The totals recomputed from the records themselves, independently of the service's code. */
function recount(records: RawRecord[]) {
  const count: Record<string, number> = {};
  let staked = 0;
  let energy = 0;
  for (const r of records) {
    count[r.status] = (count[r.status] ?? 0) + 1;
    if (STAKED.includes(r.status)) {
      staked += r.amount_sun;
      if (r.resource === 'ENERGY') energy += r.amount_sun;
    }
  }
  return { count, staked, energy };
}

describe('scale-flat data access: counters, due buckets, equality lookups (DESIGN.md §4)', () => {
  let f: StakingFixture;
  let db: Connection;
  let address: string;

  const records = () => db.collection<RawRecord>('staking_records').find({}).toArray();
  const stats = async () => {
    await f.t.app.get(StakingCache).invalidate(address);
    return (await f.get('/api/v1/tron/staking/stats')).json();
  };
  const chainNow = async () => (await f.t.app.get(TronGateway).getLatestBlock()).timestamp;

  beforeAll(async () => {
    f = await startStakingFixture('scale-flat');
    db = f.t.app.get<Connection>(getConnectionToken());
    address = await f.managedAccount(10_000);
  });
  afterAll(() => f?.close());

  it('counters follow every record change and equal a recount of the records', async () => {
    for (const resource of ['ENERGY', 'BANDWIDTH', 'ENERGY'])
      expect(
        (
          await f.post('/api/v1/tron/staking/freeze', {
            address,
            amount: 500,
            resource,
            duration: 3,
          })
        ).statusCode,
      ).toBe(201);
    await f.settle();
    f.node.devnet.advance(3 * DAY_S + 10);
    await f.runJobs();
    const one = (await records()).find((r) => r.resource === 'BANDWIDTH')!;
    expect(
      (await f.post('/api/v1/tron/staking/unstake', { staking_id: one.staking_id })).statusCode,
    ).toBe(201);
    await f.settle();

    const all = await records();
    const want = recount(all);
    expect(want.count).toEqual({ expired: 2, inactive: 1 });
    const got = await stats();
    expect(got).toMatchObject({
      total_staking_records: 3,
      active_staking_records: 0,
      total_staked_trx: want.staked / TRX,
      total_energy_resources: want.energy / TRX,
      total_bandwidth_resources: 0,
      by_status: { expired: 2, inactive: 1, active: 0 },
    });
    const status = (await f.get(`/api/v1/tron/staking/${address}/status`)).json();
    expect(status.records.total_staked_trx).toBe(1000);
    // The unfrozen record waits in the withdrawal bucket of the hour its TRX matures.
    const inactive = all.find((r) => r.status === 'inactive')!;
    expect(inactive.due).toMatch(/^withdraw:\d{4}-\d\d-\d\dT\d\d$/);
    expect(all.filter((r) => r.status === 'expired').every((r) => r.due === undefined)).toBe(true);
    // Nothing to repair: the write path kept them exact.
    const run = await f.t.app.get(StakingCountersRepairJob).runOnce();
    expect(run.result).toMatchObject({ records: 3, drifted: 0, refiled: 0 });
  });

  it('the repair job recounts drifted counters and refiles a record that lost its bucket', async () => {
    await db
      .collection<{ _id: string }>('staking_counters')
      .updateOne({ _id: 'global' }, { $inc: { count_active: 7, staked_ENERGY: 123 } });
    const inactive = (await records()).find((r) => r.status === 'inactive')!;
    await db
      .collection('staking_records')
      .updateOne({ staking_id: inactive.staking_id }, { $unset: { due: '' } });
    expect((await stats()).active_staking_records).toBe(7);

    const run = await f.t.app.get(StakingCountersRepairJob).runOnce();
    expect(run.result).toMatchObject({ drifted: 1, repaired: 1, busy: 0, refiled: 1 });
    expect((await stats()).active_staking_records).toBe(0);
    expect((await stats()).total_energy_resources).toBe(1000);
    const refiled = (await records()).find((r) => r.staking_id === inactive.staking_id)!;
    expect(refiled.due).toBe(inactive.due);
  });

  it('records from before the buckets existed are filed by the repair job, then expired by the holding job', async () => {
    const now = await chainNow();
    const legacy = Array.from({ length: 5 }, (_, i) => ({
      staking_id: randomBytes(16).toString('hex'),
      address,
      amount_sun: 1 * TRX,
      duration_days: 3,
      resource: 'ENERGY',
      status: 'active',
      operation_type: 'freeze',
      operation_id: `legacy-${i}`,
      rewards_earned_sun: 0,
      // Ended 2–6 days ago in chain time: buckets far behind the holding cursor.
      expires_at: new Date(now - (2 + i) * DAY_S * 1000),
      created_at: new Date(now - 10 * DAY_S * 1000),
      updated_at: new Date(now - 10 * DAY_S * 1000),
    }));
    await db.collection('staking_records').insertMany(legacy);
    // Not counted and not filed: the holding job cannot see them yet.
    expect((await f.t.app.get(HoldingExpiryJob).runOnce()).result).toMatchObject({ expired: 0 });

    const repair = await f.t.app.get(StakingCountersRepairJob).runOnce();
    expect(repair.result).toMatchObject({ records: 8, refiled: 5, repaired: 2 });
    expect((await stats()).by_status.active).toBe(5);
    const cursor = await db
      .collection<{ _id: string; next: string }>('staking_due_cursors')
      .findOne({ _id: 'holding' });
    expect(cursor!.next).toBe(hourBucket(new Date(now - 6 * DAY_S * 1000)));

    const expiry = await f.t.app.get(HoldingExpiryJob).runOnce();
    expect(expiry.result).toMatchObject({ expired: 5 });
    expect((await stats()).by_status).toMatchObject({ active: 0, expired: 7 });
    const after = await db
      .collection<{ _id: string; next: string }>('staking_due_cursors')
      .findOne({ _id: 'holding' });
    // Every ended bucket was drained and passed; the cursor waits at the current hour.
    expect(after!.next).toBe(hourBucket(new Date(now)));
    expect(recount(await records()).count).toMatchObject({ expired: 7, inactive: 1 });
  });

  it('the state-counters recount and the one-time backfill are the other whole-collection readers: one plain scan per collection, every write by _id', async () => {
    const record = async (run: () => Promise<unknown>) => {
      const seen: { collection: string; method: string; filter: Record<string, unknown> }[] = [];
      mongoose.set('debug', (collection: string, method: string, filter: unknown) =>
        seen.push({ collection, method, filter: (filter ?? {}) as Record<string, unknown> }),
      );
      try {
        await run();
      } finally {
        mongoose.set('debug', false);
      }
      const scans = seen.filter((q) => q.method === 'find' && !Object.keys(q.filter).length);
      const rest = seen.filter((q) => !scans.includes(q));
      return { scans: scans.map((q) => q.collection).sort(), rest };
    };
    const repair = await record(() => f.t.app.get(StateCountersRepairJob).runOnce());
    expect(repair.scans).toEqual(['approvals', 'compliance_incidents']);
    const backfill = await record(() => f.t.app.get(LegacyBucketsBackfillJob).runOnce());
    expect(backfill.scans).toEqual(['operations', 'webhook_deliveries']);
    for (const q of [...repair.rest, ...backfill.rest]) {
      expect(['countDocuments', 'aggregate', 'distinct']).not.toContain(q.method);
      if (['find', 'findOne', 'updateOne', 'replaceOne', 'deleteOne'].includes(q.method))
        expect(isEquality(q.filter._id)).toBe(true);
    }
  });

  it('writes, every job tick but the recount, and the per-address and stats views query only by equality on indexed fields', async () => {
    const leading = new Map<string, Set<string>>();
    const collections = await db.db!.listCollections().toArray();
    expect(collections.length).toBeGreaterThan(8);
    for (const { name } of collections)
      leading.set(
        name,
        new Set((await db.collection(name).indexes()).map((i) => Object.keys(i.key)[0]!)),
      );
    // Rewards to claim: a vote (straight to the node: no query of ours), tallied at a maintenance.
    // Enough TRON power (50,000 TRX frozen outside any record) for a reward above 1 TRX soon.
    const gateway = f.t.app.get(TronGateway);
    const signer = f.t.app.get(TransactionSigner);
    const send = async (intent: Parameters<TronGateway['build']>[0]) => {
      const tx = await gateway.build(intent);
      expect((await gateway.broadcast(await signer.sign(tx, address))).accepted).toBe(true);
      f.node.devnet.produceBlocks(1);
    };
    await f.node.control('/devnet/faucet', { address, amount_sun: 60_000 * TRX });
    f.node.devnet.produceBlocks(1);
    await send({
      kind: 'freeze',
      owner: address,
      amountSun: BigInt(50_000 * TRX),
      resource: 'ENERGY',
    });
    const witness = (await gateway.listWitnesses()).sort((a, b) => a.voteCount - b.voteCount)[0]!;
    await send({
      kind: 'vote',
      owner: address,
      votes: [{ witness: witness.address, count: 50_000 }],
    });
    const rewardedSr = witness.address;
    f.node.devnet.advance(6 * 3_600 + 3);
    f.node.devnet.produceBlocks(100);
    // A delegation receiver and an energy top-up policy to a second one, made beforehand.
    const [receiver, topped] = [randomAddress(), randomAddress()];
    for (const a of [receiver, topped])
      await f.node.control('/devnet/faucet', { address: a, amount_sun: TRX });
    const created = await f.post('/api/v1/tron/staking/energy-policies', {
      pool_address: address,
      receiver_address: topped,
      resource: 'ENERGY',
      min_available: 1_000,
      target_available: 5_000,
      max_delegated_trx: 1_000,
      enabled: true,
    });
    expect(created.statusCode).toBe(201);
    // Approvals: two approvers, signed in before the recording starts; TRX for two large stakes.
    const approvers = [await loginAs(f.t, 'manager'), await loginAs(f.t, 'manager')];
    await f.node.control('/devnet/faucet', { address, amount_sun: 130_000 * TRX });
    const allowedReceiver = await f.managedAccount(1);
    f.node.devnet.produceBlocks(1);
    // A webhook subscription (to a closed port: every attempt fails and is retried).
    const hook = await f.post('/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      event_types: ['operation.confirmed', 'operation.failed'],
    });
    expect(hook.statusCode).toBe(201);
    const seen: { collection: string; method: string; filter: Record<string, unknown> }[] = [];
    mongoose.set('debug', (collection: string, method: string, filter: unknown) => {
      if (leading.has(collection))
        seen.push({ collection, method, filter: (filter ?? {}) as Record<string, unknown> });
    });
    try {
      const res = await f.post(
        '/api/v1/tron/staking/freeze',
        { address, amount: 100, resource: 'ENERGY', duration: 3 },
        { 'idempotency-key': randomBytes(8).toString('hex') },
      );
      expect(res.statusCode).toBe(201);
      await f.settle();
      await f.runJobs();
      for (const job of [
        OperationReconciliationJob,
        IdempotencyCleanupJob,
        AuditRetentionJob,
        SessionCleanupJob,
      ])
        expect((await f.t.app.get(job).runOnce()).ran).toBe(true);
      await stats();
      expect((await f.get(`/api/v1/tron/staking/${address}/status`)).statusCode).toBe(200);
      // Voting: a vote and its settlement, a vote policy and its job's re-vote and idle tick,
      // and the per-address votes and witness views.
      const witness = f.node.witnesses[0]!.address;
      const vote = await f.post('/api/v1/tron/staking/vote', {
        address,
        witness_address: witness,
        vote_count: 100,
      });
      // 100 votes move (the set is 50,100): under witness_voting's 1,000, executed at once.
      expect(vote.statusCode).toBe(201);
      await f.settle();
      // Moving 1,000 of them to this witness: over the threshold, one approver lets it through.
      const move = await f.post('/api/v1/tron/staking/vote', {
        address,
        votes: [
          { witness_address: rewardedSr, vote_count: 49_000 },
          { witness_address: witness, vote_count: 1_100 },
        ],
      });
      expect(move.statusCode).toBe(202);
      const voted = await f.t.inject({
        method: 'POST',
        url: `/api/v1/approvals/${move.json().approval_id}/approve`,
        payload: {},
        headers: approvers[0]!,
      });
      expect(voted.json().status).toBe('executed');
      await f.settle();
      const policy = await f.t.inject({
        method: 'PUT',
        url: `/api/v1/tron/staking/accounts/${address}/vote-policy`,
        payload: { strategy: 'fixed', witnesses: [witness], keep_fully_voted: true },
        headers: f.auth,
      });
      expect(policy.statusCode).toBe(200);
      // The policy's re-vote moves 49,000 votes: the job's write waits for an approver too.
      expect((await f.t.app.get(VotePolicyJob).runOnce()).result).toMatchObject({
        awaiting_approval: 1,
      });
      const revote = (await f.get('/api/v1/approvals?status=pending')).json().approvals[0];
      const approved = await f.t.inject({
        method: 'POST',
        url: `/api/v1/approvals/${revote.approval_id as string}/approve`,
        payload: {},
        headers: approvers[0]!,
      });
      expect(approved.json().status).toBe('executed');
      await f.settle();
      expect((await f.t.app.get(VotePolicyJob).runOnce()).result).toMatchObject({ revoted: 0 });
      const votes = (await f.get(`/api/v1/tron/staking/votes/${address}`)).json();
      expect(votes.available).toBe(0);
      expect(votes.voting_history.map((h: { kind: string }) => h.kind)).toEqual([
        'policy_revote',
        'vote',
        'vote',
      ]);
      expect((await f.get('/api/v1/tron/staking/witnesses?sort=apr')).statusCode).toBe(200);

      // Rewards: a claim and its settlement, the view, the claim policy and its job's ticks.
      const claim = await f.post('/api/v1/tron/staking/claim-reward', { address });
      expect(claim.statusCode).toBe(201);
      await f.settle();
      await f.t.app.get(StakingCache).invalidate(address);
      const view = await f.get(`/api/v1/tron/staking/${address}/rewards`);
      expect(view.json().claims_count).toBe(1);
      const claimPolicy = await f.t.inject({
        method: 'PUT',
        url: `/api/v1/tron/staking/accounts/${address}/claim-policy`,
        payload: { enabled: true, min_reward_trx: 1, compound: { resource: 'ENERGY' } },
        headers: f.auth,
      });
      expect(claimPolicy.statusCode).toBe(200);
      f.node.devnet.advance(DAY_S);
      f.node.devnet.produceBlocks(100);
      const job = f.t.app.get(ClaimPolicyJob);
      expect((await job.runOnce()).result).toMatchObject({ claimed: 1 });
      expect((await job.runOnce()).result).toMatchObject({ waiting: 1 });
      await f.settle();
      expect((await job.runOnce()).result).toMatchObject({ compounded: 1 });
      expect((await job.runOnce()).result).toMatchObject({ waiting: 1 });
      await f.settle();
      expect((await job.runOnce()).result).toMatchObject({ early: 1 });
      expect((await f.t.app.get(OperationReconciliationJob).runOnce()).ran).toBe(true);
      await f.t.app.get(StakingCache).invalidate(address);
      expect((await f.get(`/api/v1/tron/staking/${address}/rewards`)).json().claims_count).toBe(2);

      // Delegation: a write and its settlement, an undelegation and its settlement, the view.
      const delegated = await f.post('/api/v1/tron/staking/delegate', {
        address,
        receiver_address: receiver,
        amount: 20,
        resource: 'ENERGY',
      });
      expect(delegated.statusCode).toBe(201);
      await f.settle();
      const undelegated = await f.post('/api/v1/tron/staking/undelegate', {
        address,
        receiver_address: receiver,
        amount: 5,
        resource: 'ENERGY',
      });
      expect(undelegated.statusCode).toBe(201);
      await f.settle();
      const delegationsView = (await f.get(`/api/v1/tron/staking/delegations/${address}`)).json();
      expect(
        delegationsView.records.find((r: { to_address: string }) => r.to_address === receiver),
      ).toMatchObject({
        remaining_amount: 15,
        chain_status: 'matches_chain',
      });
      // The policy job: a tick that tops up, its settlement, a tick that finds nothing to do.
      const energyJob = f.t.app.get(EnergyPolicyJob);
      expect((await energyJob.runOnce()).result).toMatchObject({ topped_up: 1 });
      await f.settle();
      expect((await energyJob.runOnce()).result).toMatchObject({ above_floor: 1 });
      // Approvals: the gate on a large stake, two decisions and the resumed write, a list of
      // pending ones, the expiry job's tick; an allow-list addition, its view and its check.
      const big = () =>
        f.post('/api/v1/tron/staking/stake', {
          address,
          amount: 60_000,
          resource: 'ENERGY',
          duration: 1,
        });
      const parked = await big();
      expect(parked.statusCode).toBe(202);
      const decide = (i: number, id: string) =>
        f.t.inject({
          method: 'POST',
          url: `/api/v1/approvals/${id}/approve`,
          payload: {},
          headers: approvers[i]!,
        });
      expect((await decide(0, parked.json().approval_id)).json().status).toBe('pending');
      expect((await decide(1, parked.json().approval_id)).json().status).toBe('executed');
      await f.settle();
      const waiting = await big();
      expect(waiting.statusCode).toBe(202);
      const list = await f.get('/api/v1/approvals?status=pending');
      expect(list.json().approvals).toHaveLength(1);
      const expiry = f.t.app.get(ApprovalExpiryJob);
      const later = new Date(Date.now() + 25 * 3_600_000);
      expect((await expiry.runOnce(later)).result).toMatchObject({ expired: 1 });
      expect((await expiry.runOnce(later)).result).toMatchObject({ expired: 0 });
      const allow = await f.post(`/api/v1/accounts/${address}/allowed-receivers`, {
        receiver_address: allowedReceiver,
      });
      expect(allow.statusCode).toBe(201);
      expect((await f.get(`/api/v1/accounts/${address}/allowed-receivers`)).statusCode).toBe(200);
      const check = await f.t.app
        .get(AllowedReceiversService)
        .isAllowedReceiver(address, allowedReceiver);
      expect(check).toMatchObject({ allowed: false, reason: 'cooling_off' });
      // Operations at scale: webhook dispatch (first attempts, then the retries past the
      // backoff), the delivery log, the cleanups, and the jobs view (every tick above was
      // recorded in job_runs and job_states).
      const dispatch = f.t.app.get(WebhookDispatchJob);
      expect((await dispatch.runOnce()).result).toMatchObject({ retry: expect.any(Number) });
      expect(
        ((await dispatch.runOnce(new Date(Date.now() + 60_000))).result as { due: number }).due,
      ).toBeGreaterThan(0);
      const log = await f.get(`/api/v1/webhooks/${hook.json().id as string}/deliveries`);
      expect(log.json().items.length).toBeGreaterThan(0);
      // The paged log: the newest page and an older one by its cursor.
      expect(
        (await f.get(`/api/v1/webhooks/${hook.json().id as string}/deliveries?cursor=0`))
          .statusCode,
      ).toBe(200);
      for (const job of [
        WebhookDeliveriesCleanupJob,
        JobRunsCleanupJob,
        StuckOperationsJob,
        OperationDetailsCleanupJob,
        EndedApprovalsCleanupJob,
      ])
        expect((await f.t.app.get(job).runOnce()).ran).toBe(true);
      // The one-time backfill, completed in the test above: its hourly tick is one _id lookup.
      expect((await f.t.app.get(LegacyBucketsBackfillJob).runOnce()).result).toEqual({
        pending: 0,
      });
      // The cleanups again as if past their retentions: they find today's settled operations and
      // ended approvals by their day bucket and prune or delete them.
      const afterDays = (n: number) => new Date(Date.now() + n * DAY_S * 1000);
      expect(
        (
          (await f.t.app.get(OperationDetailsCleanupJob).runOnce(afterDays(100))).result as {
            pruned: number;
          }
        ).pruned,
      ).toBeGreaterThan(0);
      expect(
        (
          (await f.t.app.get(EndedApprovalsCleanupJob).runOnce(afterDays(190))).result as {
            deleted: number;
          }
        ).deleted,
      ).toBeGreaterThan(0);
      expect((await f.t.inject({ method: 'GET', url: '/metrics' })).body).toMatch(
        /^staking_approvals_pending \d+$/m,
      );
      const jobs = await f.get('/api/v1/system/jobs');
      expect(
        jobs.json().items.find((j: { name: string }) => j.name === 'vote-policy').runs_total,
      ).toBeGreaterThan(0);
    } finally {
      mongoose.set('debug', false);
    }
    const reads = [
      'find',
      'findOne',
      'findOneAndUpdate',
      'updateOne',
      'updateMany',
      'replaceOne',
      'deleteOne',
      'deleteMany',
    ];
    const offending = seen.filter(({ collection, method, filter }) => {
      if (['countDocuments', 'aggregate', 'distinct', 'estimatedDocumentCount'].includes(method))
        return true;
      if (!reads.includes(method)) return false;
      const keys = leading.get(collection)!;
      return !Object.entries(filter).some(([k, v]) => keys.has(k) && isEquality(v));
    });
    expect(seen.length).toBeGreaterThan(10);
    const touched = new Set(seen.map((q) => q.collection));
    for (const name of ['voting_history', 'voting_accounts', 'vote_policies'])
      expect(touched.has(name)).toBe(true);
    for (const name of ['staking_reward_claims', 'staking_rewards', 'claim_policies'])
      expect(touched).toContain(name);
    // The delegation flows were recorded too, not only the staking ones.
    expect([...new Set(seen.map((q) => q.collection))]).toEqual(
      expect.arrayContaining(['resource_delegations', 'energy_policies']),
    );
    for (const name of ['approvals', 'allowed_receivers', 'allow_list_states'])
      expect(touched).toContain(name);
    for (const name of [
      'job_runs',
      'job_states',
      'webhook_subscriptions',
      'webhook_deliveries',
      'webhook_dispatch_cursors',
      'state_counters',
      'data_migrations',
    ])
      expect(touched).toContain(name);
    expect(offending).toEqual([]);
  });
});

describe('scale-flat: the compliance decision of a write, its incident and alert, and the compliance job ticks', () => {
  let f: StakingFixture;
  let db: Connection;
  let address: string;
  let listed: string;

  beforeAll(async () => {
    const dir = join(
      tmpdir(),
      'tron-staking-tests',
      `scale-lists-${randomBytes(4).toString('hex')}`,
    );
    mkdirSync(dir, { recursive: true });
    const list = join(dir, 'blocked.csv');
    f = await startStakingFixture('scale-flat-compliance', {
      KYC_ENABLED: 'true',
      AML_ENABLED: 'true',
      NOTIFICATIONS_ENABLED: 'true',
      SANCTIONS_SOURCES: `csv:${list}`,
    });
    db = f.t.app.get<Connection>(getConnectionToken());
    listed = f.node.witnesses[0]!.address;
    writeFileSync(list, `address,label\n${listed},blocked witness\n`);
    expect((await f.post('/api/v1/compliance/sanctions/refresh', {})).statusCode).toBe(200);
    address = await f.managedAccount(10_000);
    const profile = await f.post('/api/v1/compliance/kyc-profiles', {
      name: 'Scale Flat Ltd',
      kind: 'customer',
      level: 'advanced',
      status: 'verified',
      verified_at: '2026-11-01T00:00:00.000Z',
    });
    const link = await f.t.inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${address}`,
      headers: f.auth,
      payload: { kyc_profile_id: profile.json().profile_id },
    });
    expect(link.statusCode).toBe(200);
  });
  afterAll(() => f?.close());

  it('an allowed write and a blocked one, the alerts, sanctions-refresh and re-screen ticks query only by equality on indexed fields', async () => {
    const leading = new Map<string, Set<string>>();
    for (const { name } of await db.db!.listCollections().toArray())
      leading.set(
        name,
        new Set((await db.collection(name).indexes()).map((i) => Object.keys(i.key)[0]!)),
      );
    const seen: { collection: string; method: string; filter: Record<string, unknown> }[] = [];
    mongoose.set('debug', (collection: string, method: string, filter: unknown) => {
      if (leading.has(collection))
        seen.push({ collection, method, filter: (filter ?? {}) as Record<string, unknown> });
    });
    try {
      const freeze = await f.post('/api/v1/tron/staking/freeze', {
        address,
        amount: 1_000,
        resource: 'ENERGY',
        duration: 1,
      });
      expect(freeze.statusCode).toBe(201);
      await f.settle();
      // A delegation: receiver novelty (an `_id` lookup) and, once confirmed, its remembering;
      // the TRX windows and the new-receiver pattern window are Redis keys, not queries.
      const receiver = TronWeb.createRandom().address;
      await f.node.control('/devnet/faucet', { address: receiver, amount_sun: TRX });
      const delegation = await f.post('/api/v1/tron/staking/delegate', {
        address,
        receiver_address: receiver,
        amount: 10,
        resource: 'ENERGY',
      });
      expect(delegation.statusCode).toBe(201);
      await f.settle();
      const vote = await f.post('/api/v1/tron/staking/vote', {
        address,
        witness_address: listed,
        vote_count: 10,
      });
      expect(vote.statusCode).toBe(403);
      expect(vote.json().error_code).toBe('S132');
      expect((await f.t.app.get(ComplianceAlertsJob).runOnce()).ran).toBe(true);
      expect((await f.t.app.get(SanctionsRefreshJob).runOnce()).result).toMatchObject({
        unchanged: 1,
      });
      expect((await f.t.app.get(SanctionsRefreshJob).runOnce()).result).toMatchObject({
        unchanged: 0,
      });
      expect((await f.t.app.get(PepRescreenJob).runOnce()).ran).toBe(true);
    } finally {
      mongoose.set('debug', false);
    }
    const touched = new Set(seen.map((q) => q.collection));
    for (const name of [
      'kyc_profiles',
      'screening_entries',
      'compliance_incidents',
      'compliance_alerts',
      'screening_lists',
      'compliance_known_counterparties',
    ])
      expect(touched).toContain(name);
    const reads = [
      'find',
      'findOne',
      'findOneAndUpdate',
      'updateOne',
      'updateMany',
      'replaceOne',
      'deleteOne',
      'deleteMany',
    ];
    const offending = seen.filter(({ collection, method, filter }) => {
      if (['countDocuments', 'aggregate', 'distinct', 'estimatedDocumentCount'].includes(method))
        return true;
      if (!reads.includes(method)) return false;
      const keys = leading.get(collection)!;
      return !Object.entries(filter).some(([k, v]) => keys.has(k) && isEquality(v));
    });
    expect(offending).toEqual([]);
  });
});

describe('scale-flat: resource monitoring (watched addresses, the refresh tick, the view and its history, alerts, snapshot cleanup)', () => {
  let f: StakingFixture;
  let db: Connection;
  let address: string;

  beforeAll(async () => {
    f = await startStakingFixture('scale-flat-resources', { NOTIFICATIONS_ENABLED: 'true' });
    db = f.t.app.get<Connection>(getConnectionToken());
    address = await f.managedAccount(5_000);
    const freeze = await f.post('/api/v1/tron/staking/freeze', {
      address,
      amount: 1_000,
      resource: 'ENERGY',
      duration: 1,
    });
    expect(freeze.statusCode).toBe(201);
    await f.settle();
  });
  afterAll(() => f?.close());

  it('every access of the watch routes, the refresh tick, the view, ?history= and the alert path is an equality on an indexed field', async () => {
    const leading = new Map<string, Set<string>>();
    for (const { name } of await db.db!.listCollections().toArray())
      leading.set(
        name,
        new Set((await db.collection(name).indexes()).map((i) => Object.keys(i.key)[0]!)),
      );
    const seen: { collection: string; method: string; filter: Record<string, unknown> }[] = [];
    mongoose.set('debug', (collection: string, method: string, filter: unknown) => {
      if (leading.has(collection))
        seen.push({ collection, method, filter: (filter ?? {}) as Record<string, unknown> });
    });
    const W = '/api/v1/tron/staking/watched-addresses';
    const job = f.t.app.get(ResourceRefreshJob);
    try {
      const other = randomAddress();
      expect((await f.post(W, { address: other, label: 'hot' })).statusCode).toBe(201);
      expect((await f.get(`${W}?slot=3`)).statusCode).toBe(200);
      expect((await job.runOnce(new Date(Date.now() - 3_600_000))).result).toMatchObject({
        failed: 0,
      });
      const limit = (await f.get(`/api/v1/tron/staking/${address}/resources`)).json().energy
        .limit as number;
      expect((await f.post(W, { address, energy_floor: Math.floor(limit / 2) })).statusCode).toBe(
        201,
      );
      await f.node.control('/devnet/consume', { address, energy: Math.floor(limit * 0.9) });
      expect((await job.runOnce()).result).toMatchObject({ fired: 1 });
      f.node.devnet.advance(86_400);
      f.node.devnet.produceBlocks(1);
      expect((await job.runOnce()).result).toMatchObject({ recovered: 1 });
      for (const q of ['', '?history=24h', '?history=7d'])
        expect((await f.get(`/api/v1/tron/staking/${address}/resources${q}`)).statusCode).toBe(200);
      const del = await f.t.inject({ method: 'DELETE', url: `${W}/${other}`, headers: f.auth });
      expect(del.statusCode).toBe(204);
      const later = new Date(Date.now() + 40 * 86_400_000);
      expect((await f.t.app.get(ResourceSnapshotsCleanupJob).runOnce(later)).ran).toBe(true);
    } finally {
      mongoose.set('debug', false);
    }
    const touched = new Set(seen.map((q) => q.collection));
    for (const name of [
      'watched_addresses',
      'resource_snapshots',
      'resource_counters',
      'compliance_incidents',
    ])
      expect(touched).toContain(name);
    const reads = [
      'find',
      'findOne',
      'findOneAndUpdate',
      'updateOne',
      'updateMany',
      'replaceOne',
      'deleteOne',
      'deleteMany',
    ];
    const offending = seen.filter(({ collection, method, filter }) => {
      if (['countDocuments', 'aggregate', 'distinct', 'estimatedDocumentCount'].includes(method))
        return true;
      if (!reads.includes(method)) return false;
      const keys = leading.get(collection)!;
      return !Object.entries(filter).some(([k, v]) => keys.has(k) && isEquality(v));
    });
    expect(offending).toEqual([]);
  });
});
