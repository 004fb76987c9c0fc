import { TransactionSigner, TronGateway } from '@app/tron';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { TronWeb } from 'tronweb';
import { OperationReconciliationJob } from '../apps/staking-api/src/operations/operation-reconciliation.job.js';
import { OperationsRepository } from '../apps/staking-api/src/operations/operations.repository.js';
import { ClaimPolicyJob } from '../apps/staking-api/src/rewards/claim-policy.job.js';
import { RewardsSettlementHandler } from '../apps/staking-api/src/rewards/rewards-settlement.handler.js';
import { StakingCache } from '../apps/staking-api/src/staking/staking-cache.js';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';

const HOUR_S = 3_600;
const DAY_MS = 86_400_000;

interface ChainAccount {
  balance?: number;
  latest_withdraw_time?: number;
  frozenV2?: { type?: string; amount?: number }[];
}

describe('rewards: view, claim (withdrawbalance) and the claim policy on the devnet', () => {
  let f: StakingFixture;
  let db: Connection;
  let address: string;
  let witness: string;
  let firstClaimAt: number;
  /** What the second managed account claimed (its records count in /stats too). */
  let otherClaimedTrx = 0;

  const chain = (a: string) =>
    f.node.control<ChainAccount>(`/wallet/getaccount?address=${a}&visible=true`);
  const balance = async (a: string) => BigInt((await chain(a)).balance ?? 0);
  const frozenEnergy = async (a: string) =>
    BigInt((await chain(a)).frozenV2?.find((x) => x.type === 'ENERGY')?.amount ?? 0);
  const nodeReward = async (a: string) =>
    BigInt((await f.node.control<{ reward: number }>(`/wallet/getReward?address=${a}`)).reward);
  const txInfo = (txid: string) =>
    f.node.control<{ withdraw_amount?: number; fee?: number; blockTimeStamp: number }>(
      `/wallet/gettransactioninfobyid?value=${txid}`,
    );
  const rewards = async (a: string) => {
    await f.t.app.get(StakingCache).invalidate(a);
    return (await f.get(`/api/v1/tron/staking/${a}/rewards`)).json();
  };
  const operationsOf = (a: string) =>
    db.collection('operations').countDocuments({ owner_address: a });
  const claim = (payload: Record<string, unknown>, headers?: Record<string, string>) =>
    f.post('/api/v1/tron/staking/claim-reward', payload, headers);

  /** A signed VoteWitnessContract through the project's own gateway and signer (no /vote here). */
  const vote = async (owner: string, count: number) => {
    const gateway = f.t.app.get(TronGateway);
    const tx = await gateway.build({ kind: 'vote', owner, votes: [{ witness, count }] });
    const signed = await f.t.app.get(TransactionSigner).sign(tx, owner);
    expect((await gateway.broadcast(signed)).accepted).toBe(true);
    f.node.devnet.produceBlocks(1);
  };
  /** Passes the next maintenance (votes are tallied there) and lets rewards accrue. */
  const earn = (blocks = 30) => {
    f.node.devnet.advance(6 * HOUR_S + 3);
    f.node.devnet.produceBlocks(blocks);
  };

  beforeAll(async () => {
    // Approvals of votes ≥ 1,000 have their own suite (test/approvals.e2e-spec.ts).
    f = await startStakingFixture('rewards', { APPROVALS_ENABLED: 'false' });
    db = f.t.app.get<Connection>(getConnectionToken());
    address = await f.managedAccount(200_000);
    const witnesses = await f.t.app.get(TronGateway).listWitnesses();
    witness = witnesses.sort((a, b) => a.voteCount - b.voteCount)[0]!.address;
    for (const [amount, resource] of [
      [100_000, 'ENERGY'],
      [50_000, 'BANDWIDTH'],
    ] as const)
      expect(
        (await f.post('/api/v1/tron/staking/freeze', { address, amount, resource, duration: 30 }))
          .statusCode,
      ).toBe(201);
    await f.settle();
  });
  afterAll(() => f?.close());

  it('before any vote: nothing unclaimed, never claimed, and a claim is refused 409 S421 before anything is built', async () => {
    const info = await rewards(address);
    expect(info).toMatchObject({
      address,
      unclaimed_reward: 0,
      last_claim_time: null,
      can_claim_now: false,
      total_reward: 0,
      claims_count: 0,
      claim_history: [],
    });
    const ops = await operationsOf(address);
    const before = await balance(address);
    const res = await claim({ address });
    expect(res.statusCode).toBe(409);
    expect(res.json().error_code).toBe('S421');
    expect(await operationsOf(address)).toBe(ops);
    f.node.devnet.produceBlocks(1);
    expect(await balance(address)).toBe(before);
  });

  it('a partial amount or a per-resource reward_type is refused 422 S422 (the chain claims everything); a bad reward_type is 400', async () => {
    const ops = await operationsOf(address);
    const before = await balance(address);
    for (const body of [
      { address, amount: 5 },
      { address, amount: '0.5', reward_type: 'all' },
      { address, reward_type: 'ENERGY' },
      { address, reward_type: 'bandwidth' },
    ]) {
      const res = await claim(body);
      expect(res.statusCode).toBe(422);
      expect(res.json().error_code).toBe('S422');
      expect(res.json().error).toMatch(/whole reward|per resource/);
    }
    expect(await balance(address)).toBe(before);
    const bad = await claim({ address, reward_type: 'half' });
    expect(bad.statusCode).toBe(400);
    expect((await claim({ address, amount: -1 })).json().error_code).toBe('S102');
    expect(await operationsOf(address)).toBe(ops);
  });

  it('after voting and a maintenance the view shows the node reward; a claim withdraws exactly what the chain reports', async () => {
    await vote(address, 150_000);
    earn();
    const unclaimed = await nodeReward(address);
    expect(unclaimed).toBeGreaterThan(TRX);
    const info = await rewards(address);
    expect(info.unclaimed_reward).toBe(Number(unclaimed) / TRX);
    expect(info.can_claim_now).toBe(true);
    expect(Date.parse(info.next_claim_at)).toBe(Date.parse(info.chain_time));

    const before = await balance(address);
    const key = randomBytes(8).toString('hex');
    const res = await claim({ address, reward_type: 'all' }, { 'idempotency-key': key });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ address, status: 'pending', operation_state: 'broadcast' });
    expect(body.expected_reward).toBe(Number(unclaimed) / TRX);
    expect(body.transaction_hash).toMatch(/^[0-9a-f]{64}$/);
    // The same key answers the same claim; another request while it is in flight is refused.
    const repeat = await claim({ address, reward_type: 'all' }, { 'idempotency-key': key });
    expect(repeat.json().claim_id).toBe(body.claim_id);
    const twin = await claim({ address });
    expect(twin.statusCode).toBe(409);
    expect(twin.json()).toMatchObject({
      error_code: 'S420',
      details: { pending_claim_id: body.claim_id },
    });
    expect((await rewards(address)).pending_claim_id).toBe(body.claim_id);

    await f.settle();
    const tx = await txInfo(body.transaction_hash);
    const withdrawn = BigInt(tx.withdraw_amount ?? 0);
    expect(withdrawn).toBeGreaterThanOrEqual(unclaimed);
    expect(await balance(address)).toBe(before + withdrawn - BigInt(tx.fee ?? 0));
    // The actuator stamps the head time it runs on: the block before the one holding the claim.
    firstClaimAt = (await chain(address)).latest_withdraw_time!;
    expect(firstClaimAt).toBeGreaterThan(tx.blockTimeStamp - 10_000);
    expect(firstClaimAt).toBeLessThanOrEqual(tx.blockTimeStamp);

    const after = await rewards(address);
    expect(after).toMatchObject({
      total_reward: Number(withdrawn) / TRX,
      claims_count: 1,
      last_claim_time: new Date(firstClaimAt).toISOString(),
      next_claim_at: new Date(firstClaimAt + DAY_MS).toISOString(),
      last_reward_time: new Date(tx.blockTimeStamp).toISOString(),
      can_claim_now: false,
    });
    expect(after.pending_claim_id).toBeUndefined();
    expect(after.claim_history).toHaveLength(1);
    expect(after.claim_history[0]).toMatchObject({
      claim_id: body.claim_id,
      amount: Number(withdrawn) / TRX,
      transaction_hash: body.transaction_hash,
      source: 'api',
    });
    // Pro rata to the frozen records: 100,000 ENERGY and 50,000 BANDWIDTH TRX, i.e. 2 : 1.
    const third = withdrawn / 3n;
    expect(Math.round(after.bandwidth_reward * TRX)).toBe(Number(third));
    expect(Math.round(after.energy_reward * TRX)).toBe(Number(withdrawn - third));
    const list = (await f.get(`/api/v1/tron/staking/list?address=${address}`)).json();
    const earned = list.stakings.map((s: { rewards_earned: number }) => s.rewards_earned * TRX);
    expect(Math.round(earned.reduce((a: number, b: number) => a + b, 0))).toBe(Number(withdrawn));
    const stats = (await f.get('/api/v1/tron/staking/stats')).json();
    expect(stats.total_rewards_earned).toBe(Number(withdrawn) / TRX);
  });

  it('settling a claim again adds nothing; a settlement cut short is completed once by reconciliation', async () => {
    const claimDoc = (await db
      .collection('staking_reward_claims')
      .findOne({ address, status: 'confirmed' }))!;
    const op = (await f.t.app.get(OperationsRepository).findById(claimDoc.operation_id as string))!;
    const snapshot = async () => {
      const info = await rewards(address);
      const list = (await f.get(`/api/v1/tron/staking/list?address=${address}`)).json();
      await f.t.app.get(StakingCache).invalidate(address);
      const stats = (await f.get('/api/v1/tron/staking/stats')).json();
      return {
        total: info.total_reward,
        energy: info.energy_reward,
        count: info.claims_count,
        history: info.claim_history.length,
        records: list.stakings.map((r: { rewards_earned: number }) => r.rewards_earned).sort(),
        stats: stats.total_rewards_earned,
      };
    };
    const want = await snapshot();
    const handler = f.t.app.get(RewardsSettlementHandler);
    await handler.settle(op);
    await handler.settle(op);
    expect(await snapshot()).toEqual(want);

    // A crash after the claim was confirmed: one record and the address totals not applied yet.
    const [share] = claimDoc.attribution as { staking_id: string; sun: number }[];
    await db
      .collection('staking_records')
      .updateOne(
        { staking_id: share!.staking_id },
        { $inc: { rewards_earned_sun: -share!.sun }, $pull: { reward_claims: claimDoc.claim_id } },
      );
    for (const id of ['global', `address:${address}`])
      await db
        .collection<{ _id: string }>('staking_counters')
        .updateOne({ _id: id }, { $inc: { rewards_active: -share!.sun } });
    await db.collection('staking_rewards').deleteOne({ address });
    await db
      .collection('staking_reward_claims')
      .updateOne({ claim_id: claimDoc.claim_id }, { $set: { settling: true } });
    expect((await snapshot()).total).toBe(0);

    const run = await f.t.app.get(OperationReconciliationJob).runOnce();
    expect(run.result).toMatchObject({ records_repaired: 1 });
    expect(await snapshot()).toEqual(want);
    expect((await f.t.app.get(OperationReconciliationJob).runOnce()).result).toMatchObject({
      records_repaired: 0,
    });
  });

  it('inside 24 h of the last claim: 409 S420 with next_claim_at = last claim + 24 h, nothing built', async () => {
    f.node.devnet.produceBlocks(10);
    expect(await nodeReward(address)).toBeGreaterThan(0n);
    const ops = await operationsOf(address);
    const before = await balance(address);
    const res = await claim({ address });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error_code: 'S420',
      details: {
        last_claim_time: new Date(firstClaimAt).toISOString(),
        next_claim_at: new Date(firstClaimAt + DAY_MS).toISOString(),
      },
    });
    expect(await operationsOf(address)).toBe(ops);
    f.node.devnet.produceBlocks(1);
    expect(await balance(address)).toBe(before);
    expect((await chain(address)).latest_withdraw_time).toBe(firstClaimAt);
  });

  it('mode "unsigned": the claim answers the transaction; signed by its owner it is broadcast and settled', async () => {
    const account = TronWeb.createRandom();
    const ext = { address: account.address, key: account.privateKey.replace(/^0x/, '') };
    await f.node.control('/devnet/faucet', { address: ext.address, amount_sun: 20_000 * TRX });
    f.node.devnet.produceBlocks(1);
    const tw = new TronWeb({ fullHost: f.node.url, privateKey: ext.key });
    const send = async (tx: Parameters<typeof tw.trx.sign>[0]) => {
      const signed = (await tw.trx.sign(tx)) as Parameters<typeof tw.trx.sendRawTransaction>[0];
      const sent = await tw.trx.sendRawTransaction(signed);
      expect(sent.result).toBe(true);
      f.node.devnet.produceBlocks(1);
    };
    await send(await tw.transactionBuilder.freezeBalanceV2(10_000 * TRX, 'ENERGY', ext.address));
    await send(await tw.transactionBuilder.vote({ [witness]: 10_000 }, ext.address));
    earn();

    const res = await claim({ address: ext.address, mode: 'unsigned' });
    expect(res.statusCode).toBe(202);
    const { operation_id, transaction, claim_id } = res.json();
    expect(res.json()).toMatchObject({ status: 'pending', operation_state: 'built' });
    expect(transaction.raw_data.contract[0].type).toBe('WithdrawBalanceContract');
    const before = await balance(ext.address);
    const signed = await tw.trx.sign(transaction);
    const accepted = await f.post(`/api/v1/operations/${operation_id}/signature`, {
      signature: signed.signature,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().state).toBe('broadcast');
    await f.settle();
    const tx = await txInfo(transaction.txID);
    const withdrawn = BigInt(tx.withdraw_amount ?? 0);
    expect(withdrawn).toBeGreaterThan(0n);
    expect(await balance(ext.address)).toBe(before + withdrawn - BigInt(tx.fee ?? 0));
    const info = await rewards(ext.address);
    expect(info).toMatchObject({ claims_count: 1, total_reward: Number(withdrawn) / TRX });
    // No staking record: nothing attributed; the split follows the chain stake (all ENERGY).
    expect(info.energy_reward).toBe(Number(withdrawn) / TRX);
    expect(info.bandwidth_reward).toBe(0);
    expect(info.claim_history[0].claim_id).toBe(claim_id);
  });

  it('a claim that fails in its block ends failed: nothing recorded, the balance untouched, the next claim goes through', async () => {
    const other = await f.managedAccount(20_000);
    await f.post('/api/v1/tron/staking/freeze', {
      address: other,
      amount: 10_000,
      resource: 'ENERGY',
    });
    await f.settle();
    await vote(other, 10_000);
    earn();
    const stats = (await f.get('/api/v1/tron/staking/stats')).json().total_rewards_earned;
    const before = await balance(other);
    await f.node.control('/devnet/faults', { mode: 'fail_in_block' });
    const res = await claim({ address: other });
    expect(res.statusCode).toBe(201);
    await f.settle();
    const failed = (await f.get(`/api/v1/operations/${res.json().operation_id}`)).json();
    expect(failed.state).toBe('failed');
    const doc = await db
      .collection('staking_reward_claims')
      .findOne({ claim_id: res.json().claim_id });
    expect(doc).toMatchObject({ status: 'failed' });
    expect(doc!.settling).toBeUndefined();
    // Only what the node charges for any transaction (bandwidth), no reward.
    const fee = BigInt((await txInfo(res.json().transaction_hash)).fee ?? 0);
    expect(await balance(other)).toBe(before - fee);
    expect((await chain(other)).latest_withdraw_time ?? 0).toBe(0);
    const info = await rewards(other);
    expect(info).toMatchObject({ claims_count: 0, total_reward: 0, can_claim_now: true });
    expect(info.pending_claim_id).toBeUndefined();
    await f.t.app.get(StakingCache).invalidate(other);
    expect((await f.get('/api/v1/tron/staking/stats')).json().total_rewards_earned).toBe(stats);

    const again = await claim({ address: other });
    expect(again.statusCode).toBe(201);
    await f.settle();
    const done = await rewards(other);
    expect(done.claims_count).toBe(1);
    otherClaimedTrx = done.total_reward;
  });

  describe('claim policy', () => {
    const url = (a: string) => `/api/v1/tron/staking/accounts/${a}/claim-policy`;
    const put = (a: string, body: unknown) =>
      f.t.inject({ method: 'PUT', url: url(a), payload: body as never, headers: f.auth });
    const del = (a: string) => f.t.inject({ method: 'DELETE', url: url(a), headers: f.auth });
    const tick = async () => (await f.t.app.get(ClaimPolicyJob).runOnce()).result!;

    it('PUT/GET/DELETE with their refusals', async () => {
      const external = TronWeb.createRandom().address;
      expect((await put(external, { enabled: true, min_reward_trx: 5 })).json().error_code).toBe(
        'S215',
      );
      const low = await put(address, { enabled: true, min_reward_trx: 0.5 });
      expect(low.statusCode).toBe(400);
      expect(low.json()).toMatchObject({ error_code: 'S424', details: { allowed: { min: '1' } } });
      expect(
        (
          await put(address, { enabled: true, min_reward_trx: 1, compound: { resource: 'SOL' } })
        ).json().error_code,
      ).toBe('S104');
      expect((await put(address, { enabled: 'yes', min_reward_trx: 1 })).statusCode).toBe(400);
      expect(
        (await put(address, { enabled: true, min_reward_trx: 1, x: 1 })).json().error_code,
      ).toBe('S111');

      const ok = await put(address, { enabled: false, min_reward_trx: 2 });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({
        address,
        enabled: false,
        min_reward_trx: 2,
        compound: null,
      });
      expect((await f.get(url(address))).json()).toMatchObject({ min_reward_trx: 2 });
      expect((await del(address)).statusCode).toBe(204);
      const gone = await f.get(url(address));
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error_code).toBe('S423');
      expect((await del(address)).json().error_code).toBe('S423');
    });

    it('the job claims once allowed and above the threshold and compounds, day after day; a second tick does nothing', async () => {
      const set = await put(address, {
        enabled: true,
        min_reward_trx: 1,
        compound: { resource: 'energy' },
      });
      expect(set.json()).toMatchObject({ enabled: true, compound: { resource: 'ENERGY' } });

      // Still inside 24 h of the API claim.
      expect(await tick()).toMatchObject({ policies: 1, early: 1, claimed: 0 });

      let lastClaimAt = firstClaimAt;
      for (let day = 1; day <= 3; day++) {
        f.node.devnet.advance(24 * HOUR_S);
        f.node.devnet.produceBlocks(20);
        const frozenBefore = await frozenEnergy(address);
        const balanceBefore = await balance(address);
        expect(await tick()).toMatchObject({ claimed: 1 });
        const opsAfterClaim = await operationsOf(address);
        // Claim in flight: the next tick waits and builds nothing.
        expect(await tick()).toMatchObject({ claimed: 0, waiting: 1 });
        expect(await operationsOf(address)).toBe(opsAfterClaim);

        await f.settle();
        const policy = (await f.get(url(address))).json();
        const claimDoc = await db
          .collection('staking_reward_claims')
          .findOne({ claim_id: policy.last_claim_id });
        expect(claimDoc).toMatchObject({ status: 'confirmed', source: 'policy' });
        const tx = await txInfo(claimDoc!.transaction_hash as string);
        const withdrawn = BigInt(tx.withdraw_amount ?? 0);
        expect(withdrawn).toBe(BigInt(claimDoc!.amount_sun as number));
        expect(withdrawn).toBeGreaterThanOrEqual(BigInt(TRX));
        const stamped = (await chain(address)).latest_withdraw_time!;
        expect(stamped - lastClaimAt).toBeGreaterThanOrEqual(DAY_MS);
        lastClaimAt = stamped;
        expect(await balance(address)).toBe(balanceBefore + withdrawn - BigInt(tx.fee ?? 0));

        // Compounding: an ordinary freeze of exactly the withdrawn TRX, its own record.
        expect(await tick()).toMatchObject({ compounded: 1, claimed: 0 });
        const opsAfterCompound = await operationsOf(address);
        expect(opsAfterCompound).toBe(opsAfterClaim + 1);
        // The freeze in flight: the next tick waits for it and builds nothing.
        expect(await tick()).toMatchObject({ compounded: 0, claimed: 0, waiting: 1 });
        expect(await operationsOf(address)).toBe(opsAfterCompound);
        await f.settle();
        // Confirmed: compounding is done, and the next claim is a day away.
        expect(await tick()).toMatchObject({ compounded: 0, claimed: 0, early: 1 });
        expect(await operationsOf(address)).toBe(opsAfterCompound);
        const compounded = await db
          .collection('staking_reward_claims')
          .findOne({ claim_id: policy.last_claim_id });
        expect(compounded).toMatchObject({ compound_state: 'done' });
        const record = (
          await f.get(`/api/v1/tron/staking/${compounded!.compound_staking_id as string}`)
        ).json();
        expect(record).toMatchObject({
          address,
          amount: Number(withdrawn) / TRX,
          resource: 'ENERGY',
          status: 'active',
        });
        expect(await frozenEnergy(address)).toBe(frozenBefore + withdrawn);
      }
      const info = await rewards(address);
      expect(info.claims_count).toBe(4);
      expect(info.claim_history.map((h: { source: string }) => h.source)).toEqual([
        'policy',
        'policy',
        'policy',
        'api',
      ]);
      const total = info.claim_history.reduce(
        (a: number, h: { amount: number }) => a + h.amount,
        0,
      );
      expect(info.total_reward).toBeCloseTo(total, 6);
      const stats = (await f.get('/api/v1/tron/staking/stats')).json();
      // The managed accounts' claims; the external one had no record, so it adds nothing here.
      expect(stats.total_rewards_earned).toBeCloseTo(info.total_reward + otherClaimedTrx, 6);
    });

    it('a policy claim that fails in its block is retried on the next tick with a new operation', async () => {
      await put(address, { enabled: true, min_reward_trx: 1 });
      f.node.devnet.advance(24 * HOUR_S);
      f.node.devnet.produceBlocks(20);
      await f.node.control('/devnet/faults', { mode: 'fail_in_block' });
      expect(await tick()).toMatchObject({ claimed: 1 });
      await f.settle();
      const failedId = (await f.get(url(address))).json().last_claim_id;
      expect(
        await db.collection('staking_reward_claims').findOne({ claim_id: failedId }),
      ).toMatchObject({ status: 'failed' });
      const count = (await rewards(address)).claims_count;

      expect(await tick()).toMatchObject({ claimed: 1, failed: 0 });
      const retryId = (await f.get(url(address))).json().last_claim_id;
      expect(retryId).not.toBe(failedId);
      await f.settle();
      expect((await rewards(address)).claims_count).toBe(count + 1);
      expect(await tick()).toMatchObject({ claimed: 0, early: 1 });
    });

    it('a compounding freeze that fails in its block is tried again with a new operation', async () => {
      await put(address, { enabled: true, min_reward_trx: 1, compound: { resource: 'ENERGY' } });
      f.node.devnet.advance(24 * HOUR_S);
      f.node.devnet.produceBlocks(20);
      expect(await tick()).toMatchObject({ claimed: 1 });
      await f.settle();
      const claimId = (await f.get(url(address))).json().last_claim_id;
      const claimed = () => db.collection('staking_reward_claims').findOne({ claim_id: claimId });
      const withdrawn = BigInt((await claimed())!.amount_sun as number);
      const frozenBefore = await frozenEnergy(address);

      await f.node.control('/devnet/faults', { mode: 'fail_in_block' });
      expect(await tick()).toMatchObject({ compounded: 1 });
      const firstFreeze = (await claimed())!.compound_operation_id;
      await f.settle();
      expect((await f.get(`/api/v1/operations/${firstFreeze as string}`)).json().state).toBe(
        'failed',
      );
      expect(await tick()).toMatchObject({ waiting: 1, compounded: 0 });
      expect(await claimed()).toMatchObject({ compound_state: 'pending', compound_attempts: 1 });
      expect(await tick()).toMatchObject({ compounded: 1 });
      const secondFreeze = (await claimed())!.compound_operation_id;
      expect(secondFreeze).not.toBe(firstFreeze);
      await f.settle();
      expect(await tick()).toMatchObject({ early: 1, compounded: 0 });
      expect(await claimed()).toMatchObject({ compound_state: 'done' });
      expect(await frozenEnergy(address)).toBe(frozenBefore + withdrawn);
    });

    it('a disabled policy is not looked at', async () => {
      await put(address, { enabled: false, min_reward_trx: 1 });
      f.node.devnet.advance(24 * HOUR_S);
      f.node.devnet.produceBlocks(5);
      const ops = await operationsOf(address);
      expect(await tick()).toMatchObject({ policies: 0, claimed: 0 });
      expect(await operationsOf(address)).toBe(ops);
    });
  });
});
