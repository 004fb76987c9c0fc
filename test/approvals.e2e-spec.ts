import { ErrorCode } from '@app/common';
import { ApprovalClock } from '../apps/staking-api/src/approvals/approval-clock.js';
import { ApprovalExpiryJob } from '../apps/staking-api/src/approvals/approval-expiry.job.js';
import { ApprovalGateService } from '../apps/staking-api/src/approvals/approval-gate.service.js';
import { WritePipeline } from '../apps/staking-api/src/operations/write-pipeline.js';
import { VotePolicyJob } from '../apps/staking-api/src/voting/vote-policy.job.js';
import { EnergyPolicyJob } from '../apps/staking-api/src/delegation/energy-policies/energy-policy.job.js';
import { EarlyAnswer } from '@app/common';
import { AllowedReceiversService } from '../apps/staking-api/src/approvals/allow-lists/allowed-receivers.service.js';
import { adminAuth, createApiKey, loginAs, type AuthHeaders } from './support/auth.js';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';
import { bootTestApp } from './support/test-app.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookDispatchJob } from '../apps/staking-api/src/webhooks/webhook-dispatch.job.js';
import { verifyWebhook } from '../apps/staking-api/src/webhooks/webhook-events.js';

const BASE = '/api/v1/tron/staking';
const HOUR_MS = 3_600_000;

describe('approvals: maker-checker on the write pipeline (real app, DB, Redis, devnet)', () => {
  let f: StakingFixture;
  let owner: string;
  let managers: AuthHeaders[];
  let sr: string;
  let sr2: string;
  // A loopback webhook receiver subscribed to the approval events from the start.
  const received: { id: string; body: string; timestamp: number; signature: string }[] = [];
  let server: Server;
  let hookSecret: string;

  const chainAccount = (a: string) =>
    f.node.control<{
      balance?: number;
      frozenV2?: { type?: string; amount?: number }[];
      votes?: { vote_address: string; vote_count: number }[];
    }>(`/wallet/getaccount?address=${a}&visible=true`);
  const frozenEnergy = async (a: string) =>
    (await chainAccount(a)).frozenV2?.find((x) => x.type === 'ENERGY')?.amount ?? 0;
  const as = (headers: AuthHeaders | Record<string, string>) => ({
    post: (url: string, payload: unknown = {}) =>
      f.t.inject({ method: 'POST', url, payload: payload as never, headers }),
    get: (url: string) => f.t.inject({ method: 'GET', url, headers }),
  });
  const stake = (amount: number, headers: Record<string, string> = {}) =>
    f.post(`${BASE}/stake`, { address: owner, amount, resource: 'ENERGY', duration: 1 }, headers);
  const operation = async (id: string) =>
    (await f.get(`/api/v1/operations/${id}`)).json() as { state: string; txid?: string };
  const approve = (who: AuthHeaders | Record<string, string>, id: string, comment?: string) =>
    as(who).post(`/api/v1/approvals/${id}/approve`, comment ? { comment } : {});

  beforeAll(async () => {
    f = await startStakingFixture('approvals');
    owner = await f.managedAccount(200_000);
    managers = [
      await loginAs(f.t, 'manager'),
      await loginAs(f.t, 'manager'),
      await loginAs(f.t, 'manager'),
    ];
    const state = await f.node.control<{ witnesses: { address: string }[] }>('/devnet/state');
    sr = state.witnesses[0]!.address;
    sr2 = state.witnesses[1]!.address;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({
          id: String(req.headers['x-webhook-event-id']),
          body,
          timestamp: Number(req.headers['x-webhook-timestamp']),
          signature: String(req.headers['x-webhook-signature']),
        });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const hook = await f.post('/api/v1/webhooks', {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      event_types: [
        'approval.requested',
        'approval.approved',
        'approval.rejected',
        'approval.expired',
        'approval.executed',
      ],
    });
    expect(hook.statusCode).toBe(201);
    hookSecret = hook.json().secret as string;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await f?.close();
  });

  it('a 60,000 TRX stake waits for two distinct approvers, then executes on the devnet exactly once', async () => {
    const before = await chainAccount(owner);
    const res = await stake(60_000, { 'idempotency-key': 'big-stake-1' });
    expect(res.statusCode).toBe(202);
    const pending = res.json();
    expect(pending).toMatchObject({
      status: 'pending_approval',
      required_approvals: 2,
      approvals_received: 0,
    });
    expect(Date.parse(pending.expires_at) - Date.now()).toBeGreaterThan(23 * HOUR_MS);
    // The effect, simulated from the devnet's state: the chain's balance, +60,000 TRON power,
    // and more energy.
    expect(pending.effect.amount_trx).toBe(60_000);
    expect(pending.effect.balance_trx.before).toBe(before.balance! / TRX);
    expect(pending.effect.balance_trx.after).toBe(before.balance! / TRX - 60_000);
    expect(pending.effect.tron_power.after - pending.effect.tron_power.before).toBe(60_000);
    expect(pending.effect.energy_limit.after).toBeGreaterThan(pending.effect.energy_limit.before);
    expect(pending.effect.spending).toMatchObject({
      operation: 'stake',
      amount_trx: 60_000,
      role: 'admin',
    });
    expect((await operation(pending.operation_id)).state).toBe('pending_approval');
    expect(await frozenEnergy(owner)).toBe(0);

    // A repeat with the same Idempotency-Key answers the same approval: no second one.
    const again = await stake(60_000, { 'idempotency-key': 'big-stake-1' });
    expect(again.statusCode).toBe(202);
    expect(again.json().approval_id).toBe(pending.approval_id);

    // The requester (admin) cannot approve, nor through an API key the admin created.
    const own = await approve(f.auth, pending.approval_id);
    expect(own.statusCode).toBe(403);
    expect(own.json().error_code).toBe(ErrorCode.APPROVAL_SELF_DECISION);
    const key = await createApiKey(f.t, 'manager');
    const viaKey = await approve(key.headers, pending.approval_id);
    expect(viaKey.statusCode).toBe(403);
    expect(viaKey.json().error_code).toBe(ErrorCode.APPROVAL_SELF_DECISION);
    // An operator has no approvals:decide.
    const operator = await approve(await loginAs(f.t, 'operator'), pending.approval_id);
    expect(operator.statusCode).toBe(403);

    const first = await approve(managers[0]!, pending.approval_id, 'checked');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'pending', approvals_received: 1 });
    const twice = await approve(managers[0]!, pending.approval_id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error_code).toBe(ErrorCode.APPROVAL_ALREADY_VOTED);
    expect((await operation(pending.operation_id)).state).toBe('pending_approval');
    expect(await frozenEnergy(owner)).toBe(0);

    const second = await approve(managers[1]!, pending.approval_id);
    expect(second.statusCode).toBe(200);
    expect(second.json().failure).toBeUndefined();
    expect(second.json()).toMatchObject({ status: 'executed', approvals_received: 2 });
    expect(second.json().requester).toMatchObject({ role: 'admin' });
    expect((await operation(pending.operation_id)).state).toBe('broadcast');
    await f.settle();
    const done = await operation(pending.operation_id);
    expect(done.state).toBe('confirmed');
    expect(await frozenEnergy(owner)).toBe(60_000 * TRX);

    // Decided: a third approver, a repeat of the request, the expiry job change nothing.
    const late = await approve(managers[2]!, pending.approval_id);
    expect(late.statusCode).toBe(409);
    expect(late.json().error_code).toBe(ErrorCode.APPROVAL_ALREADY_DECIDED);
    const repeat = await stake(60_000, { 'idempotency-key': 'big-stake-1' });
    expect(repeat.json().operation_id).toBe(pending.operation_id);
    await f.t.app.get(ApprovalExpiryJob).runOnce(new Date(Date.now() + 48 * HOUR_MS));
    await f.settle();
    expect(await frozenEnergy(owner)).toBe(60_000 * TRX);

    // Every decision is audited, the refused self-approvals too.
    const audit = await as(f.auth).get(`/api/v1/audit/logs?action=approval.decision&limit=50`);
    const entries = audit.json().items as { resource?: string; result: { status: string } }[];
    const mine = entries.filter((e) => e.resource === pending.approval_id);
    expect(mine.filter((e) => e.result.status === 'success')).toHaveLength(2);
    expect(mine.filter((e) => e.result.status === 'denied').length).toBeGreaterThanOrEqual(2);
    // The parked request itself is audited as what it answered: 202, a success.
    const stakes = await as(f.auth).get(
      `/api/v1/audit/logs?action=${encodeURIComponent('POST /api/v1/tron/staking/stake')}&limit=50`,
    );
    const parked = (
      stakes.json().items as { result: { status: string; http_status?: number } }[]
    ).map((e) => e.result);
    expect(parked.some((r) => r.status === 'success' && r.http_status === 202)).toBe(true);
    expect(parked.some((r) => r.http_status === 500)).toBe(false);
  });

  it('a rejected one never executes', async () => {
    const frozen = await frozenEnergy(owner);
    const res = await stake(60_000);
    expect(res.statusCode).toBe(202);
    const { approval_id, operation_id } = res.json();
    const reject = await as(managers[0]!).post(`/api/v1/approvals/${approval_id}/reject`, {
      comment: 'not this quarter',
    });
    expect(reject.statusCode).toBe(200);
    expect(reject.json()).toMatchObject({
      status: 'rejected',
      rejection: { comment: 'not this quarter' },
    });
    expect((await operation(operation_id)).state).toBe('cancelled');
    const after = await approve(managers[1]!, approval_id);
    expect(after.statusCode).toBe(409);
    expect(after.json().error_code).toBe(ErrorCode.APPROVAL_ALREADY_DECIDED);
    // A rejection needs its comment.
    const bare = await as(managers[1]!).post(`/api/v1/approvals/${approval_id}/reject`, {});
    expect(bare.statusCode).toBe(400);
    await f.settle();
    expect(await frozenEnergy(owner)).toBe(frozen);
  });

  it('an expired one never executes (leader-locked expiry job, wall clock)', async () => {
    const frozen = await frozenEnergy(owner);
    const res = await stake(60_000);
    const { approval_id, operation_id, expires_at } = res.json();
    const job = f.t.app.get(ApprovalExpiryJob);
    const early = await job.runOnce(new Date(Date.parse(expires_at) - 1000));
    expect(early.result).toMatchObject({ expired: 0 });
    const tick = await job.runOnce(new Date(Date.parse(expires_at) + 1000));
    expect(tick.result).toMatchObject({ expired: 1 });
    // Idempotent: a second tick finds nothing.
    expect((await job.runOnce(new Date(Date.parse(expires_at) + 2000))).result).toMatchObject({
      expired: 0,
    });
    expect((await as(f.auth).get(`/api/v1/approvals/${approval_id}`)).json().status).toBe(
      'expired',
    );
    expect((await operation(operation_id)).state).toBe('expired');
    const late = await approve(managers[0]!, approval_id);
    expect(late.statusCode).toBe(409);
    expect(late.json().error_code).toBe(ErrorCode.APPROVAL_EXPIRED);
    await f.settle();
    expect(await frozenEnergy(owner)).toBe(frozen);
  });

  it('an approval past its expiry is refused at decision time even before the job ran', async () => {
    const res = await stake(60_000);
    const { approval_id, operation_id } = res.json();
    const clock = f.t.app.get(ApprovalClock);
    const spy = vi.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 25 * HOUR_MS));
    try {
      const late = await approve(managers[0]!, approval_id);
      expect(late.statusCode).toBe(409);
      expect(late.json().error_code).toBe(ErrorCode.APPROVAL_EXPIRED);
    } finally {
      spy.mockRestore();
    }
    expect((await operation(operation_id)).state).toBe('expired');
  });

  it('the vote threshold counts the votes that move: a first 1,000 waits, adding 100 to 1,000 goes at once, moving 1,000 to another SR waits', async () => {
    const vote = (body: Record<string, unknown>) =>
      f.post(`${BASE}/vote`, { address: owner, ...body });
    const first = await vote({ witness_address: sr, vote_count: 1000 });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ status: 'pending_approval', required_approvals: 1 });
    expect(first.json().effect).toMatchObject({ votes_total: 1000, votes_moved: 1000 });
    const list = await as(managers[0]!).get('/api/v1/approvals?status=pending');
    expect(list.json().approvals.map((a: { approval_id: string }) => a.approval_id)).toContain(
      first.json().approval_id,
    );
    const ok = await approve(managers[0]!, first.json().approval_id);
    expect(ok.json()).toMatchObject({ status: 'executed', rule: 'witness_voting' });
    await f.settle();
    expect((await chainAccount(owner)).votes).toEqual([{ vote_address: sr, vote_count: 1000 }]);

    // 1,100 votes re-sent (VoteWitness replaces the set), 100 moved: under the threshold.
    const more = await vote({ witness_address: sr, vote_count: 1100 });
    expect(more.statusCode).toBe(201);
    await f.settle();
    expect((await chainAccount(owner)).votes).toEqual([{ vote_address: sr, vote_count: 1100 }]);

    // The same total, 1,000 of it moved to another SR: waits.
    const moved = await vote({
      votes: [
        { witness_address: sr, vote_count: 100 },
        { witness_address: sr2, vote_count: 1000 },
      ],
    });
    expect(moved.statusCode).toBe(202);
    expect(moved.json().effect).toMatchObject({ votes_total: 1100, votes_moved: 1000 });
    expect((await approve(managers[1]!, moved.json().approval_id)).json().status).toBe('executed');
    await f.settle();
    const votes = (await chainAccount(owner)).votes ?? [];
    expect(Object.fromEntries(votes.map((v) => [v.vote_address, v.vote_count]))).toEqual({
      [sr]: 100,
      [sr2]: 1000,
    });
  });

  it('a material change before quorum (the balance drops) sends it back with the new effect', async () => {
    const frozen = await frozenEnergy(owner);
    const res = await stake(60_000);
    const pending = res.json();
    // The owner's balance drops: a small freeze (under the threshold) executes meanwhile.
    const small = await stake(100);
    expect(small.statusCode).toBe(201);
    await f.settle();
    await approve(managers[0]!, pending.approval_id);
    const quorum = await approve(managers[1]!, pending.approval_id);
    expect(quorum.statusCode).toBe(200);
    const back = quorum.json();
    expect(back).toMatchObject({ status: 'pending', approvals_received: 0 });
    // 100 TRX less, and the small freeze's bandwidth fee (under 1 TRX).
    expect(back.effect.balance_trx.before).toBeLessThanOrEqual(
      pending.effect.balance_trx.before - 100,
    );
    expect(back.effect.balance_trx.before).toBeGreaterThan(pending.effect.balance_trx.before - 101);
    expect(back.effect.tron_power.before).toBe(pending.effect.tron_power.before + 100);
    expect((await operation(pending.operation_id)).state).toBe('pending_approval');
    await f.settle();
    expect(await frozenEnergy(owner)).toBe(frozen + 100 * TRX);

    // Approved again on the new facts, it executes, once.
    await approve(managers[0]!, pending.approval_id);
    const done = await approve(managers[2]!, pending.approval_id);
    expect(done.json().status).toBe('executed');
    await f.settle();
    expect(await frozenEnergy(owner)).toBe(frozen + 100 * TRX + 60_000 * TRX);
  });

  it("a large delegation's effect shows the receiver's screening and the can-delegate maximum; a change of that maximum sends it back", async () => {
    const receiver = await f.managedAccount(1);
    const delegate = () =>
      f.post(`${BASE}/delegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 100_000,
        resource: 'ENERGY',
      });
    const res = await delegate();
    expect(res.statusCode).toBe(202);
    const pending = res.json();
    expect(pending.required_approvals).toBe(2);
    expect(pending.effect.receiver_screening).toEqual({ address: receiver, hit: false, hits: [] });
    const maxBefore = pending.effect.can_delegate_max_trx as number;
    expect(maxBefore).toBeGreaterThanOrEqual(100_000);
    // The owner stakes 100 TRX more (under the threshold): the node lets it delegate 100 more.
    expect((await stake(100)).statusCode).toBe(201);
    await f.settle();
    await approve(managers[0]!, pending.approval_id);
    const back = (await approve(managers[1]!, pending.approval_id)).json();
    expect(back).toMatchObject({ status: 'pending', approvals_received: 0 });
    expect(back.effect.can_delegate_max_trx).toBe(maxBefore + 100);
    await approve(managers[0]!, pending.approval_id);
    expect((await approve(managers[2]!, pending.approval_id)).json().status).toBe('executed');
    await f.settle();
    const delegated = await f.node.control<{
      delegatedResource?: { frozen_balance_for_energy?: number }[];
    }>(`/wallet/getdelegatedresourcev2?fromAddress=${owner}&toAddress=${receiver}&visible=true`);
    expect(delegated.delegatedResource?.[0]?.frozen_balance_for_energy).toBe(100_000 * TRX);
  });

  it("a job's write over a threshold waits for approvers too (vote policy), asked once across ticks", async () => {
    const holder = await f.managedAccount(3_000);
    expect(
      (await f.post(`${BASE}/freeze`, { address: holder, amount: 2_000, resource: 'ENERGY' }))
        .statusCode,
    ).toBe(201);
    await f.settle();
    const put = await f.t.inject({
      method: 'PUT',
      url: `${BASE}/accounts/${holder}/vote-policy`,
      payload: { strategy: 'fixed', witnesses: [sr], keep_fully_voted: true },
      headers: f.auth,
    });
    expect(put.statusCode).toBe(200);
    const job = f.t.app.get(VotePolicyJob);
    const pendingFor = async () =>
      (
        (await as(managers[0]!).get('/api/v1/approvals?status=pending&limit=100')).json()
          .approvals as { approval_id: string; owner_address: string }[]
      ).filter((a) => a.owner_address === holder);
    // 2,000 votes would move: parked, nothing on chain.
    expect((await job.runOnce()).result).toMatchObject({ awaiting_approval: 1, revoted: 0 });
    const [parked, ...others] = await pendingFor();
    expect(others).toHaveLength(0);
    const view = (await as(managers[0]!).get(`/api/v1/approvals/${parked!.approval_id}`)).json();
    expect(view).toMatchObject({
      rule: 'witness_voting',
      requester: { kind: 'system', id: 'vote-policy' },
      effect: { votes_moved: 2000, spending: { role: 'system' } },
    });
    expect((await operation(view.operation_id)).state).toBe('pending_approval');
    // The next tick does not ask again (the account has an open operation).
    expect((await job.runOnce()).result).toMatchObject({ skipped: 1, awaiting_approval: 0 });
    expect(await pendingFor()).toHaveLength(1);
    expect((await chainAccount(holder)).votes ?? []).toEqual([]);
    // Any approver is distinct from a job: one approval executes it, once.
    const done = await approve(managers[0]!, parked!.approval_id);
    expect(done.json()).toMatchObject({ status: 'executed' });
    await f.settle();
    expect((await chainAccount(holder)).votes).toEqual([{ vote_address: sr, vote_count: 2000 }]);
    expect((await job.runOnce()).result).toMatchObject({ unchanged: 1, revoted: 0 });
  });

  it("the energy-policy job's top-up over large_delegation waits once across ticks, then executes under its policy", async () => {
    const pool = await f.managedAccount(130_000);
    // 120,000 TRX of energy stake in freezes each under high_value_staking's 50,000.
    for (let i = 0; i < 3; i++)
      expect(
        (await f.post(`${BASE}/freeze`, { address: pool, amount: 40_000, resource: 'ENERGY' }))
          .statusCode,
      ).toBe(201);
    await f.settle();
    const receiver = await f.managedAccount(1);
    const created = await f.post(`${BASE}/energy-policies`, {
      pool_address: pool,
      receiver_address: receiver,
      resource: 'ENERGY',
      min_available: 1_000_000_000,
      target_available: 1_000_000_000,
      max_delegated_trx: 110_000,
      enabled: true,
    });
    expect(created.statusCode).toBe(201);
    const policyId = created.json().id as string;
    const job = f.t.app.get(EnergyPolicyJob);
    const pendingFor = async () =>
      (
        (await as(managers[0]!).get('/api/v1/approvals?status=pending&limit=100')).json()
          .approvals as {
          approval_id: string;
          owner_address: string;
          effect: { amount_trx: number };
        }[]
      ).filter((a) => a.owner_address === pool);
    expect((await job.runOnce()).result).toMatchObject({ awaiting_approval: 1 });
    // Recorded as the policy's action in flight: the next tick waits for it, asks nothing.
    expect((await job.runOnce()).result).toMatchObject({ waiting_operation: 1 });
    const parked = await pendingFor();
    expect(parked).toHaveLength(1);
    expect(parked[0]!.effect.amount_trx).toBe(110_000);
    const view = (await as(managers[0]!).get(`/api/v1/approvals/${parked[0]!.approval_id}`)).json();
    expect(view).toMatchObject({
      rule: 'large_delegation',
      requester: { kind: 'system', id: 'energy-policies' },
      effect: { receiver_screening: { hit: false } },
    });
    expect((await f.get(`${BASE}/energy-policies/${policyId}`)).json().state).toMatchObject({
      actions: 1,
      pending_operation_id: view.operation_id,
      last_outcome: 'top_up:pending_approval',
    });
    await approve(managers[0]!, parked[0]!.approval_id);
    expect((await approve(managers[1]!, parked[0]!.approval_id)).json().status).toBe('executed');
    await f.settle();
    // Confirmed: the next tick clears it and finds the receiver at its cap; no second top-up.
    expect((await job.runOnce()).result).toMatchObject({ capped: 1 });
    expect(await pendingFor()).toHaveLength(0);
    const delegated = await f.node.control<{
      delegatedResource?: { frozen_balance_for_energy?: number }[];
    }>(`/wallet/getdelegatedresourcev2?fromAddress=${pool}&toAddress=${receiver}&visible=true`);
    expect(delegated.delegatedResource?.[0]?.frozen_balance_for_energy).toBe(110_000 * TRX);
    const records = (await f.get(`${BASE}/delegations/${pool}`)).json();
    expect(JSON.stringify(records)).toContain(policyId);
  });

  it('a step before the gate (compliance) can require approval of a small write: requireApproval', async () => {
    const gate = f.t.app.get(ApprovalGateService);
    const body = { address: owner, amount: 10, resource: 'ENERGY', duration: 1 };
    const submitted = f.t.app.get(WritePipeline).submit({
      owner,
      mode: 'custodial',
      ctx: {
        principal: { kind: 'user', id: 'compliance-test-user', role: 'operator' },
        actor: { kind: 'user', id: 'compliance-test-user', role: 'operator' },
        requestHash: 'compliance-test',
        requestId: 'compliance-test',
        replay: { route: 'POST /api/v1/tron/staking/freeze', body },
      },
      plan: async () => {
        const plan = {
          intent: {
            kind: 'freeze' as const,
            owner,
            amountSun: 10n * BigInt(TRX),
            resource: 'ENERGY' as const,
          },
          subject: { type: 'staking', id: 'compliance-test' },
          spending: { amountSun: 10n * BigInt(TRX), operation: 'freeze' },
        };
        gate.requireApproval(plan, 'risk score 75 (high)');
        return plan;
      },
    });
    const answer = await submitted.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(answer).toBeInstanceOf(EarlyAnswer);
    const { status, body: pending } = answer as EarlyAnswer;
    expect(status).toBe(202);
    expect(pending).toMatchObject({ status: 'pending_approval', required_approvals: 1 });
    const view = await as(managers[0]!).get(`/api/v1/approvals/${pending.approval_id as string}`);
    expect(view.json()).toMatchObject({
      rule: 'compliance_review',
      reasons: ['risk score 75 (high)'],
    });
    expect((await operation(pending.operation_id as string)).state).toBe('pending_approval');
    const reject = await as(managers[0]!).post(
      `/api/v1/approvals/${pending.approval_id as string}/reject`,
      {
        comment: 'cleanup',
      },
    );
    expect(reject.json().status).toBe('rejected');
  });

  it('unknown, malformed ids and bodies: 404 S216, 400', async () => {
    const missing = await as(managers[0]!).get(
      '/api/v1/approvals/00000000-0000-4000-8000-000000000000',
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error_code).toBe(ErrorCode.APPROVAL_NOT_FOUND);
    expect((await as(managers[0]!).get('/api/v1/approvals/not-an-id')).statusCode).toBe(400);
    expect((await as(managers[0]!).get('/api/v1/approvals?status=nope')).statusCode).toBe(400);
    const extra = await approve(managers[0]!, '00000000-0000-4000-8000-000000000000');
    expect(extra.statusCode).toBe(404);
  });

  it('every approval transition reached the webhook receiver once by event id, signed', async () => {
    const dispatch = f.t.app.get(WebhookDispatchJob);
    for (let i = 0; i < 10; i++) {
      const tick = await dispatch.runOnce();
      if (!(tick.result as { due?: number } | undefined)?.due) break;
    }
    const byId = new Map<string, number>();
    for (const r of received) byId.set(r.id, (byId.get(r.id) ?? 0) + 1);
    expect([...byId.values()].every((n) => n === 1)).toBe(true);
    for (const r of received)
      expect(
        verifyWebhook(hookSecret, r.timestamp, r.body, r.signature, Date.now() / 1000, 300),
      ).toBe(true);
    const events = received.map(
      (r) => JSON.parse(r.body) as { id: string; type: string; data: { approval_id: string } },
    );
    const typesOf = (id: string) =>
      events
        .filter((e) => e.data.approval_id === id)
        .map((e) => e.type)
        .sort();
    const ids = async (status: string) =>
      (
        (await as(managers[0]!).get(`/api/v1/approvals?status=${status}&limit=100`)).json()
          .approvals as { approval_id: string; updated_at: string }[]
      ).map((a) => a.approval_id);
    const [executed, rejected, expired] = [
      await ids('executed'),
      await ids('rejected'),
      await ids('expired'),
    ];
    expect(executed.length).toBeGreaterThanOrEqual(4);
    for (const id of executed)
      expect(typesOf(id)).toEqual(
        expect.arrayContaining(['approval.requested', 'approval.approved', 'approval.executed']),
      );
    for (const id of rejected)
      expect(typesOf(id)).toEqual(['approval.rejected', 'approval.requested']);
    expect(expired.length).toBeGreaterThanOrEqual(2);
    for (const id of expired)
      expect(typesOf(id)).toEqual(['approval.expired', 'approval.requested']);
    // The first stake: asked once (its repeat with the same key asked nothing), approved, executed.
    const first = events.find((e) => e.type === 'approval.requested')!.data.approval_id;
    expect(typesOf(first)).toEqual([
      'approval.approved',
      'approval.executed',
      'approval.requested',
    ]);
    // Never the request body.
    expect(received.some((r) => r.body.includes('"body"'))).toBe(false);
  });

  it('APPROVALS_ENABLED=false: the same stake executes at once', async () => {
    const off = await bootTestApp('approvals-off', {
      TRON_FULL_HOST: f.node.url,
      TRON_MAX_REQUESTS_PER_SECOND: '5000',
      APPROVALS_ENABLED: 'false',
    });
    try {
      const admin = await adminAuth(off);
      const acct = await off.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers: admin,
        payload: { label: 'approvals-off' },
      });
      const address = acct.json().address as string;
      await f.node.control('/devnet/faucet', { address, amount_sun: 70_000 * TRX });
      const res = await off.inject({
        method: 'POST',
        url: `${BASE}/stake`,
        headers: admin,
        payload: { address, amount: 60_000, resource: 'ENERGY', duration: 1 },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().operation_state).toBe('broadcast');
    } finally {
      await off.close();
    }
  });
});

describe('allow-lists with a cooling-off period', () => {
  let f: StakingFixture;
  let owner: string;
  let receiver: string;
  const url = () => `/api/v1/accounts/${owner}/allowed-receivers`;

  beforeAll(async () => {
    f = await startStakingFixture('allow-lists');
    owner = await f.managedAccount(10);
    receiver = await f.managedAccount(10);
  });
  afterAll(async () => f?.close());

  it('an addition is refused before its cooling-off ends and accepted after', async () => {
    const service = f.t.app.get(AllowedReceiversService);
    const clock = f.t.app.get(ApprovalClock);
    const t0 = new Date();
    const added = await f.post(url(), { receiver_address: receiver, label: 'hot wallet' });
    expect(added.statusCode).toBe(201);
    const activeFrom = Date.parse(added.json().active_from);
    // Policy allow_lists.cooling_off_hours: 48.
    expect(activeFrom - t0.getTime()).toBeGreaterThanOrEqual(48 * HOUR_MS - 5_000);
    expect(activeFrom - t0.getTime()).toBeLessThanOrEqual(48 * HOUR_MS + 5_000);
    expect(added.json().active).toBe(false);
    // Adding it again keeps the first cooling-off (it does not restart, nor shorten).
    const again = await f.post(url(), { receiver_address: receiver });
    expect(again.statusCode).toBe(200);
    expect(again.json().active_from).toBe(added.json().active_from);

    expect(await service.isAllowedReceiver(owner, receiver, new Date(activeFrom - 1000))).toEqual({
      allowed: false,
      reason: 'cooling_off',
      active_from: new Date(activeFrom),
    });
    await expect(
      service.assertAllowedReceiver(owner, receiver, new Date(activeFrom - 1000)),
    ).rejects.toMatchObject({
      code: ErrorCode.RECEIVER_COOLING_OFF,
      details: { active_from: new Date(activeFrom).toISOString() },
    });
    expect(await service.isAllowedReceiver(owner, receiver, new Date(activeFrom))).toMatchObject({
      allowed: true,
    });
    await expect(
      service.assertAllowedReceiver(owner, receiver, new Date(activeFrom + 1)),
    ).resolves.toBeUndefined();

    // The view follows the injectable wall clock.
    const spy = vi.spyOn(clock, 'now').mockReturnValue(new Date(activeFrom + 1000));
    try {
      const list = await f.get(url());
      expect(list.statusCode).toBe(200);
      expect(list.json()).toMatchObject({
        address: owner,
        cooling_off_hours: 48,
        receivers: [{ receiver_address: receiver, active: true, label: 'hot wallet' }],
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('refusals: not listed (S550), removed, the owner itself, an unmanaged account, a missing entry', async () => {
    const service = f.t.app.get(AllowedReceiversService);
    const other = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
    await expect(service.assertAllowedReceiver(owner, other)).rejects.toMatchObject({
      code: ErrorCode.RECEIVER_NOT_ALLOWED,
    });
    const removed = await f.t.inject({
      method: 'DELETE',
      url: `${url()}/${receiver}`,
      headers: f.auth,
    });
    expect(removed.statusCode).toBe(204);
    expect(
      await service.isAllowedReceiver(owner, receiver, new Date(Date.now() + 100 * HOUR_MS)),
    ).toEqual({
      allowed: false,
      reason: 'not_listed',
    });
    const gone = await f.t.inject({
      method: 'DELETE',
      url: `${url()}/${receiver}`,
      headers: f.auth,
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error_code).toBe(ErrorCode.ALLOWED_RECEIVER_NOT_FOUND);
    const self = await f.post(url(), { receiver_address: owner });
    expect(self.statusCode).toBe(422);
    expect(self.json().error_code).toBe(ErrorCode.RECEIVER_IS_OWNER);
    const unmanaged = await f.post(`/api/v1/accounts/${other}/allowed-receivers`, {
      receiver_address: owner,
    });
    expect(unmanaged.statusCode).toBe(404);
    expect(unmanaged.json().error_code).toBe(ErrorCode.ACCOUNT_NOT_FOUND);
    const bad = await f.post(url(), { receiver_address: 'nope' });
    expect(bad.statusCode).toBe(400);
    // A viewer reads, never writes.
    const viewer = await loginAs(f.t, 'viewer');
    expect((await f.t.inject({ method: 'GET', url: url(), headers: viewer })).statusCode).toBe(200);
    const denied = await f.t.inject({
      method: 'POST',
      url: url(),
      headers: viewer,
      payload: { receiver_address: receiver },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('delegations and energy policies follow the allow-list once the owner has one; undelegate never does', async () => {
    const clock = f.t.app.get(ApprovalClock);
    const pool = await f.managedAccount(3_000);
    const [free, listed, later] = [
      await f.managedAccount(1),
      await f.managedAccount(1),
      await f.managedAccount(1),
    ];
    expect(
      (await f.post(`${BASE}/freeze`, { address: pool, amount: 2_000, resource: 'ENERGY' }))
        .statusCode,
    ).toBe(201);
    await f.settle();
    const delegate = (to: string, amount = 10) =>
      f.post(`${BASE}/delegate`, {
        address: pool,
        receiver_address: to,
        amount,
        resource: 'ENERGY',
      });
    const policy = (to: string) =>
      f.post(`${BASE}/energy-policies`, {
        pool_address: pool,
        receiver_address: to,
        resource: 'ENERGY',
        min_available: 10_000_000,
        target_available: 10_000_000,
        max_delegated_trx: 500,
        enabled: true,
      });
    // No list yet: unrestricted.
    expect((await delegate(free)).statusCode).toBe(201);
    await f.settle();

    const added = await f.post(`/api/v1/accounts/${pool}/allowed-receivers`, {
      receiver_address: listed,
    });
    expect(added.statusCode).toBe(201);
    const activeFrom = added.json().active_from as string;
    // Listed but cooling off: refused, naming when it becomes allowed.
    const cooling = await delegate(listed);
    expect(cooling.statusCode).toBe(422);
    expect(cooling.json()).toMatchObject({
      error_code: ErrorCode.RECEIVER_COOLING_OFF,
      details: { receiver_address: listed, active_from: activeFrom },
    });
    const coolingPolicy = await policy(listed);
    expect(coolingPolicy.statusCode).toBe(422);
    expect(coolingPolicy.json().details.active_from).toBe(activeFrom);
    // The list exists now: a receiver not on it is refused.
    const unlisted = await delegate(free);
    expect(unlisted.statusCode).toBe(422);
    expect(unlisted.json().error_code).toBe(ErrorCode.RECEIVER_NOT_ALLOWED);
    expect((await policy(free)).json().error_code).toBe(ErrorCode.RECEIVER_NOT_ALLOWED);
    // Undelegating from it returns resources to the owner: never blocked.
    const back = await f.post(`${BASE}/undelegate`, {
      address: pool,
      receiver_address: free,
      amount: 10,
      resource: 'ENERGY',
    });
    expect(back.statusCode).toBe(201);
    await f.settle();

    const spy = vi
      .spyOn(clock, 'now')
      .mockImplementation(() => new Date(Date.parse(activeFrom) + 1_000));
    try {
      expect((await delegate(listed)).statusCode).toBe(201);
      await f.settle();
      const created = await policy(listed);
      expect(created.statusCode).toBe(201);
      // Removed from the list later (another entry keeps the list): the job's top-up is refused.
      expect(
        (
          await f.post(`/api/v1/accounts/${pool}/allowed-receivers`, {
            receiver_address: later,
          })
        ).statusCode,
      ).toBe(201);
      const removed = await f.t.inject({
        method: 'DELETE',
        url: `/api/v1/accounts/${pool}/allowed-receivers/${listed}`,
        headers: f.auth,
      });
      expect(removed.statusCode).toBe(204);
      const tick = await f.t.app.get(EnergyPolicyJob).runOnce();
      expect(tick.result).toMatchObject({ receiver_not_allowed: 1 });
      const after = await f.get(`${BASE}/energy-policies/${created.json().id as string}`);
      expect(after.json().state).toMatchObject({
        actions: 0,
        last_outcome: 'receiver_not_allowed',
      });
    } finally {
      spy.mockRestore();
    }
  });

  it("a manager's allow-list addition and removal wait for another approver; approving applies them", async () => {
    const account = await f.managedAccount(1);
    const target = await f.managedAccount(1);
    const list = `/api/v1/accounts/${account}/allowed-receivers`;
    const [maker, checker] = [await loginAs(f.t, 'manager'), await loginAs(f.t, 'manager')];
    const call = (
      who: AuthHeaders,
      method: 'POST' | 'DELETE' | 'GET',
      url: string,
      payload?: unknown,
    ) =>
      f.t.inject({ method, url, headers: who, ...(payload ? { payload: payload as never } : {}) });
    const asked = await call(maker, 'POST', list, { receiver_address: target, label: 'cold' });
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toMatchObject({
      status: 'pending_approval',
      required_approvals: 1,
      effect: {
        operation: 'allow_list_add',
        receiver_address: target,
        cooling_off_hours: 48,
        receiver_screening: { address: target, hit: false, hits: [] },
      },
    });
    const id = asked.json().approval_id as string;
    // Nothing listed yet: the account stays unrestricted.
    expect((await f.get(list)).json().receivers).toEqual([]);
    const own = await call(maker, 'POST', `/api/v1/approvals/${id}/approve`, {});
    expect(own.json().error_code).toBe(ErrorCode.APPROVAL_SELF_DECISION);
    const t0 = Date.now();
    const ok = await call(checker, 'POST', `/api/v1/approvals/${id}/approve`, {});
    expect(ok.json()).toMatchObject({ status: 'executed', rule: 'allow_list_change' });
    const entries = (await f.get(list)).json().receivers as { active_from: string }[];
    expect(entries).toMatchObject([{ receiver_address: target, label: 'cold', active: false }]);
    // The cooling-off runs from the approval that applied it.
    expect(Date.parse(entries[0]!.active_from) - t0).toBeGreaterThanOrEqual(48 * HOUR_MS - 5_000);

    const removal = await call(maker, 'DELETE', `${list}/${target}`);
    expect(removal.statusCode).toBe(202);
    expect(removal.json().effect.operation).toBe('allow_list_remove');
    const no = await call(
      checker,
      'POST',
      `/api/v1/approvals/${removal.json().approval_id as string}/reject`,
      {
        comment: 'keep it',
      },
    );
    expect(no.json().status).toBe('rejected');
    expect((await f.get(list)).json().receivers).toHaveLength(1);
    // An admin is exempt (policy allow_lists.change_approval.exempt_roles): removed at once.
    expect((await call(f.auth, 'DELETE', `${list}/${target}`)).statusCode).toBe(204);
    expect((await f.get(list)).json().receivers).toEqual([]);
    // Audited: the request and the change applied under the approval.
    const audit = (
      await call(f.auth, 'GET', '/api/v1/audit/logs?action=allow_list.add&limit=50')
    ).json().items as { params?: { approval_id?: string } }[];
    expect(audit.some((e) => e.params?.approval_id === id)).toBe(true);
  });
});
