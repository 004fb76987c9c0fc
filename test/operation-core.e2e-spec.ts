import { SpendingLimits } from '@app/auth';
import { trxToSun } from '@app/common';
import { TronGateway } from '@app/tron';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { TronWeb } from 'tronweb';
import { OperationReconciliationJob } from '../apps/staking-api/src/operations/operation-reconciliation.job.js';
import { OperationTrackerJob } from '../apps/staking-api/src/operations/operation-tracker.job.js';
import { OperationsRepository } from '../apps/staking-api/src/operations/operations.repository.js';
import { OperationsService } from '../apps/staking-api/src/operations/operations.service.js';
import { StakingRecordsRepository } from '../apps/staking-api/src/staking/staking-records.repository.js';
import { createUser, login, type AuthHeaders } from './support/auth.js';
import { MAINNET_SOLIDITY_LAG_BLOCKS } from './support/devnet.js';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';

const DAY_S = 86_400;

/**
 * The operation core against the real app, FerretDB, Redis and the devnet with mainnet's
 * solidity lag (18 blocks): final means solidified, nothing stranded, one settlement path.
 */
describe('operation core: solidified finality, settlement, lanes, holds, idempotency TTL', () => {
  let f: StakingFixture;
  let db: Connection;
  let tracker: OperationTrackerJob;
  let operator: { auth: AuthHeaders; principal: { kind: 'user'; id: string } };

  beforeAll(async () => {
    f = await startStakingFixture('operation-core');
    expect(f.node.solidityLagBlocks).toBe(MAINNET_SOLIDITY_LAG_BLOCKS);
    db = f.t.app.get<Connection>(getConnectionToken());
    tracker = f.t.app.get(OperationTrackerJob);
    const user = await createUser(f.t, 'operator');
    const pair = await login(f.t, user.username, user.password);
    operator = {
      auth: { authorization: `Bearer ${pair.access_token}` },
      principal: { kind: 'user', id: user.id },
    };
  });
  afterAll(async () => f?.close());

  const op = async (id: string) => (await f.get(`/api/v1/operations/${id}`)).json();
  const record = async (id: string) => (await f.get(`/api/v1/tron/staking/${id}`)).json();
  const chainAccount = (address: string) =>
    f.node.control<{
      balance?: number;
      frozenV2?: { type?: string; amount?: number }[];
      unfrozenV2?: { type?: string; unfreeze_amount?: number; unfreeze_expire_time?: number }[];
    }>(`/wallet/getaccount?address=${address}&visible=true`);
  const frozen = async (address: string, resource: 'ENERGY' | 'BANDWIDTH') =>
    (await chainAccount(address)).frozenV2?.find((x) => (x.type ?? 'BANDWIDTH') === resource)
      ?.amount ?? 0;
  const stake = (address: string, amount: number, duration: number, extra = {}) =>
    f.post('/api/v1/tron/staking/stake', {
      address,
      amount,
      duration,
      resource: 'ENERGY',
      ...extra,
    });

  it('a transaction in a block stays broadcast past its expiration until solid, then confirms; nothing re-sent', async () => {
    const address = await f.managedAccount(1_000);
    const res = await stake(address, 100, 1);
    expect(res.statusCode).toBe(201);
    const { operation_id, staking_id } = res.json();

    await f.blocks(1);
    const included = await op(operation_id);
    expect(included.state).toBe('broadcast');
    expect(included.block_number).toBeGreaterThan(0);
    expect(included.confirmations).toBe(0);
    expect((await record(staking_id)).status).toBe('pending');

    // The head moves far past the expiration (60 s) while the solidified head is 18 blocks back.
    f.node.devnet.advance(120);
    await f.blocks(3);
    const late = await op(operation_id);
    expect(late.state).toBe('broadcast');
    expect(late.block_number).toBe(included.block_number);
    expect(late.confirmations).toBe(4);
    expect(late.broadcast_attempts).toBe(1);

    await f.blocks(MAINNET_SOLIDITY_LAG_BLOCKS);
    const final = await op(operation_id);
    expect(final.state).toBe('confirmed');
    expect(final.history.map((h: { state: string }) => h.state)).toEqual([
      'requested',
      'built',
      'signed',
      'broadcast',
      'confirmed',
    ]);
    expect(final.broadcast_attempts).toBe(1);
    expect(Date.parse(final.confirmed_at)).toBeGreaterThanOrEqual(Date.parse(final.included_at));
    expect((await record(staking_id)).status).toBe('active');
    expect(await frozen(address, 'ENERGY')).toBe(100 * TRX);
    const metrics = (await f.t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/staking_operation_finality_seconds_count\{kind="freeze"\} 1/);
  });

  it('two identical freezes on one block are two transactions, not a duplicate', async () => {
    const address = await f.managedAccount(1_000);
    const [one, two] = [await stake(address, 7, 1), await stake(address, 7, 1)];
    expect(one.json().transaction_hash).not.toBe(two.json().transaction_hash);
    await f.settle();
    expect(await frozen(address, 'ENERGY')).toBe(14 * TRX);
    expect((await record(one.json().staking_id)).status).toBe('active');
    expect((await record(two.json().staking_id)).status).toBe('active');
  });

  it('a dropped transaction expires only once the solidified head passes its expiration; the reservation comes back', async () => {
    const address = await f.managedAccount(1_000);
    const limits = f.t.app.get(SpendingLimits);
    const before = await limits.usedToday(operator.principal);
    await f.node.control('/devnet/faults', {
      path: '/wallet/broadcasttransaction',
      mode: 'drop',
      count: 1_000,
    });
    const res = await f.post(
      '/api/v1/tron/staking/stake',
      { address, amount: 40, duration: 1, resource: 'ENERGY' },
      operator.auth,
    );
    expect(res.statusCode).toBe(202);
    expect(res.json().operation_state).toBe('signed');
    expect(await limits.usedToday(operator.principal)).toBe(before + trxToSun(40));

    f.node.devnet.advance(120); // head past the expiration, solid still before it
    await f.blocks(1);
    expect((await op(res.json().operation_id)).state).toBe('signed');
    await f.blocks(MAINNET_SOLIDITY_LAG_BLOCKS);
    await f.node.control('/devnet/faults', undefined, 'DELETE');
    const ended = await op(res.json().operation_id);
    expect(ended.state).toBe('expired');
    expect(ended.error.code).toBe('S208');
    expect((await record(res.json().staking_id)).status).toBe('failed');
    expect(await limits.usedToday(operator.principal)).toBe(before);
    expect(await frozen(address, 'ENERGY')).toBe(0);
  });

  it('a late failure on chain releases the reservation and fails the record', async () => {
    const address = await f.managedAccount(1_000);
    const limits = f.t.app.get(SpendingLimits);
    const before = await limits.usedToday(operator.principal);
    await f.node.control('/devnet/faults', { mode: 'fail_in_block' });
    const res = await f.post(
      '/api/v1/tron/staking/stake',
      { address, amount: 30, duration: 1, resource: 'ENERGY' },
      operator.auth,
    );
    expect(res.statusCode).toBe(201);
    await f.settle();
    const ended = await op(res.json().operation_id);
    expect(ended.state).toBe('failed');
    expect((await record(res.json().staking_id)).status).toBe('failed');
    expect(await limits.usedToday(operator.principal)).toBe(before);
  });

  it('stale requested and stranded custodial built operations end with their record and reservation', async () => {
    const address = await f.managedAccount(1_000);
    const limits = f.t.app.get(SpendingLimits);
    const operations = f.t.app.get(OperationsService);
    const records = f.t.app.get(StakingRecordsRepository);
    const principal = { ...operator.principal, role: 'operator' as const };
    const before = await limits.usedToday(principal);

    // What a process that died right after recording its operation leaves behind.
    const strand = async (state: 'requested' | 'built') => {
      const reservation = await limits.reserve(principal, trxToSun(20), 'stake');
      const stakingId = randomUUID().replace(/-/g, '');
      const { operation } = await operations.create({
        intent: { kind: 'freeze', owner: address, amountSun: trxToSun(20), resource: 'ENERGY' },
        mode: 'custodial',
        subject: { type: 'staking', id: stakingId },
        actor: { kind: 'user', id: principal.id, role: 'operator' },
        requestHash: randomUUID(),
        reservation,
      });
      await records.insert({
        staking_id: stakingId,
        address,
        amount_sun: 20 * TRX,
        duration_days: 1,
        resource: 'ENERGY',
        status: 'pending',
        operation_type: 'stake',
        operation_id: operation.id,
        settling: true,
        settling_operation_id: operation.id,
      });
      if (state === 'built') {
        const tx = await f.t.app.get(TronGateway).build({
          kind: 'freeze',
          owner: address,
          amountSun: trxToSun(20),
          resource: 'ENERGY',
        });
        await f.t.app.get(OperationsRepository).transition(operation, ['requested'], 'built', {
          unsigned_tx: tx,
          txid: tx.txID,
          expiration: tx.raw_data.expiration,
        });
      }
      return { operationId: operation.id, stakingId };
    };
    const stale = await strand('requested');
    const resumable = await strand('built');
    const expiredBuilt = await strand('built');
    expect(await limits.usedToday(principal)).toBe(before + trxToSun(60));

    // The resumable one is re-signed and sent while its transaction is still valid.
    await db
      .collection('operations')
      .updateOne({ _id: expiredBuilt.operationId as never }, { $set: { expiration: 1 } });
    await tracker.runOnce(new Date(Date.now() + 11 * 60_000));
    expect((await op(stale.operationId)).state).toBe('failed');
    expect((await record(stale.stakingId)).status).toBe('failed');
    expect((await op(expiredBuilt.operationId)).state).toBe('expired');
    expect((await op(expiredBuilt.operationId)).error.code).toBe('S203');
    expect((await record(expiredBuilt.stakingId)).status).toBe('failed');
    expect((await op(resumable.operationId)).state).toBe('broadcast');
    expect(await limits.usedToday(principal)).toBe(before + trxToSun(20));

    await f.settle();
    expect((await op(resumable.operationId)).state).toBe('confirmed');
    expect((await record(resumable.stakingId)).status).toBe('active');
    expect(await limits.usedToday(principal)).toBe(before + trxToSun(20));
    expect(await frozen(address, 'ENERGY')).toBe(20 * TRX);
  });

  it('the reconciliation job repairs a record left behind and an interrupted settlement', async () => {
    const address = await f.managedAccount(1_000);
    const res = await stake(address, 50, 1);
    await f.settle();
    const { operation_id, staking_id } = res.json();
    expect((await record(staking_id)).status).toBe('active');

    // A record that did not follow its confirmed operation.
    await db
      .collection('staking_records')
      .updateOne(
        { staking_id },
        { $set: { status: 'pending', settling: true, settling_operation_id: operation_id } },
      );
    // A terminal move whose settlement never ran (the process died in between).
    const second = await stake(address, 60, 1);
    await db
      .collection('operations')
      .updateOne(
        { _id: second.json().operation_id as never },
        { $set: { state: 'cancelled', settlement_pending: true }, $unset: { tracking: '' } },
      );
    const outcome = await f.t.app.get(OperationReconciliationJob).runOnce();
    expect(outcome.result).toMatchObject({ resettled: 1, records_repaired: 1 });
    expect((await record(staking_id)).status).toBe('active');
    expect((await record(second.json().staking_id)).status).toBe('failed');
    // Idempotent: a second run finds nothing.
    const again = await f.t.app.get(OperationReconciliationJob).runOnce();
    expect(again.result).toMatchObject({ resettled: 0, records_repaired: 0 });
  });

  it('300 operations waiting for an outside signature do not delay a custodial confirmation', async () => {
    const outsider = TronWeb.createRandom().address;
    await f.node.control('/devnet/faucet', { address: outsider, amount_sun: 10_000 * TRX });
    const repo = f.t.app.get(OperationsRepository);
    const gateway = f.t.app.get(TronGateway);
    const tx = await gateway.build(
      { kind: 'freeze', owner: outsider, amountSun: trxToSun(1), resource: 'ENERGY' },
      { extendExpirationSeconds: 600 },
    );
    for (let i = 0; i < 300; i++) {
      const { operation } = await repo.createOrGet({
        id: randomUUID(),
        kind: 'freeze',
        mode: 'unsigned',
        state: 'requested',
        params: { owner: outsider, amount_sun: String(TRX), resource: 'ENERGY' },
        owner_address: outsider,
        idempotency_scope: 'user:load',
        idempotency_key: randomUUID(),
        request_hash: 'load',
        requested_by: { kind: 'user', id: 'load' },
      });
      await repo.transition(operation, ['requested'], 'built', {
        unsigned_tx: tx,
        txid: tx.txID,
        expiration: tx.raw_data.expiration,
      });
    }
    const address = await f.managedAccount(1_000);
    const res = await stake(address, 10, 1);
    await f.settle(); // one tracker tick
    expect((await op(res.json().operation_id)).state).toBe('confirmed');
  });

  describe('holding periods: one accounting for /unstake and /unfreeze', () => {
    let address: string;
    let held: { staking_id: string; expires_at: string };
    let free: { staking_id: string };

    beforeAll(async () => {
      address = await f.managedAccount(2_000);
      free = (await stake(address, 100, 1)).json();
      await f.settle();
      f.node.devnet.advance(DAY_S + 60);
      const heldRes = await stake(address, 100, 30);
      await f.settle();
      held = await record(heldRes.json().staking_id);
      expect(held.expires_at).toBeDefined();
    });

    it('an unfreeze beyond the free stake → 409 S303 naming when the hold ends', async () => {
      const res = await f.post('/api/v1/tron/staking/unfreeze', {
        address,
        resource: 'ENERGY',
        amount: 150,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error_code).toBe('S303');
      expect(res.json().details.held_until).toBe(held.expires_at);
      expect(res.json().details.unfreezable_trx).toBe('100');
    });

    it('concurrent /unfreeze and /unstake release exactly the free stake, never the held one', async () => {
      const answers = await Promise.all([
        f.post('/api/v1/tron/staking/unfreeze', { address, resource: 'ENERGY' }),
        f.post('/api/v1/tron/staking/unstake', { staking_id: free.staking_id }),
        f.post('/api/v1/tron/staking/unfreeze', { address, resource: 'ENERGY' }),
        f.post('/api/v1/tron/staking/unstake', { staking_id: held.staking_id }),
      ]);
      const ok = answers.filter((a) => a.statusCode === 201);
      expect(ok).toHaveLength(1);
      for (const refused of answers.filter((a) => a.statusCode !== 201))
        expect(['S303', 'S304', 'S305']).toContain(refused.json().error_code);
      await f.settle();
      expect(await frozen(address, 'ENERGY')).toBe(100 * TRX);
      expect((await record(held.staking_id)).status).toBe('active');
      expect((await record(free.staking_id)).status).toBe('inactive');
    });

    it('the released TRX is withdrawn by the job after the unfreeze delay', async () => {
      const before = (await chainAccount(address)).balance ?? 0;
      f.node.devnet.advance(14 * DAY_S + 60);
      await f.runJobs();
      await f.settle();
      expect(((await chainAccount(address)).balance ?? 0) - before).toBe(100 * TRX);
      expect((await record(free.staking_id)).status).toBe('completed');
    });
  });

  it('an unfreeze of stake no record holds gets a record of its own', async () => {
    // Frozen outside the service, by the owner's own wallet: no record holds it.
    const account = TronWeb.createRandom();
    const wallet = new TronWeb({
      fullHost: f.node.url,
      privateKey: account.privateKey.replace(/^0x/, ''),
    });
    await f.node.control('/devnet/faucet', { address: account.address, amount_sun: 500 * TRX });
    const freeze = await wallet.transactionBuilder.freezeBalanceV2(
      80 * TRX,
      'ENERGY',
      account.address,
    );
    expect((await wallet.trx.sendRawTransaction(await wallet.trx.sign(freeze))).result).toBe(true);
    f.node.devnet.produceBlocks(1);

    const res = await f.post('/api/v1/tron/staking/unfreeze', {
      address: account.address,
      resource: 'ENERGY',
      amount: 30,
      mode: 'unsigned',
    });
    expect(res.statusCode).toBe(202);
    const [released] = res.json().released_records;
    expect(released).toMatchObject({ amount: 30, operation_type: 'unfreeze' });
    const signed = await wallet.trx.sign(res.json().transaction);
    await f.post(`/api/v1/operations/${res.json().operation_id}/signature`, {
      signature: signed.signature,
    });
    await f.settle();
    const after = await record(released.staking_id);
    expect(after.status).toBe('inactive');
    expect(after.unfreeze_available_at).toBeDefined();
    expect(await frozen(account.address, 'ENERGY')).toBe(50 * TRX);
  });

  it('an unfreeze of part of an expired record splits it', async () => {
    const address = await f.managedAccount(1_000);
    const res = await stake(address, 80, 1);
    await f.settle();
    f.node.devnet.advance(DAY_S + 60);
    const unfreeze = await f.post('/api/v1/tron/staking/unfreeze', {
      address,
      resource: 'ENERGY',
      amount: 30,
    });
    expect(unfreeze.statusCode).toBe(201);
    expect(unfreeze.json().released_records).toHaveLength(1);
    const [part] = unfreeze.json().released_records;
    expect(part).toMatchObject({ amount: 30, operation_type: 'stake' });
    expect(part.staking_id).not.toBe(res.json().staking_id);
    await f.settle();
    expect((await record(res.json().staking_id)).amount).toBe(50);
    expect((await record(part.staking_id)).status).toBe('inactive');
    expect(await frozen(address, 'ENERGY')).toBe(50 * TRX);
  });

  it('an unfreeze sweeps matured unfreezes; cancel-unfreeze re-freezes pending ones and withdraws matured ones, as the chain reports', async () => {
    const address = await f.managedAccount(2_000);
    const unstake = async (stakingId: string) => {
      const res = await f.post('/api/v1/tron/staking/unstake', { staking_id: stakingId });
      expect(res.statusCode).toBe(201);
      await f.settle();
    };
    const balance = async () => (await chainAccount(address)).balance ?? 0;
    const a = (await stake(address, 100, 1)).json();
    const b = (await stake(address, 200, 1)).json();
    const c = (await stake(address, 300, 1)).json();
    await f.settle();
    f.node.devnet.advance(DAY_S + 60);

    await unstake(a.staking_id);
    f.node.devnet.advance(15 * DAY_S); // a's unfreeze matures; nobody withdrew it yet
    let before = await balance();
    await unstake(b.staking_id); // java-tron withdraws a's matured 100 TRX with this unfreeze
    expect((await balance()) - before).toBe(100 * TRX);
    expect((await record(a.staking_id)).status).toBe('completed');

    f.node.devnet.advance(7 * DAY_S);
    await unstake(c.staking_id);
    f.node.devnet.advance(7 * DAY_S + 60); // b matured, c still in its delay
    before = await balance();
    const res = await f.post('/api/v1/tron/staking/cancel-unfreeze', { address });
    expect(res.statusCode).toBe(201);
    await f.settle();
    const done = await op(res.json().operation_id);
    expect(done.state).toBe('confirmed');
    expect(done.result).toMatchObject({
      cancelled_unfreeze: { ENERGY: 300, BANDWIDTH: 0 },
      withdraw_expire_amount: 200,
    });
    expect((await record(b.staking_id)).status).toBe('completed');
    const cAfter = await record(c.staking_id);
    expect(cAfter.status).toBe('expired');
    expect(cAfter.unfreeze_available_at).toBeUndefined();
    expect(await frozen(address, 'ENERGY')).toBe(300 * TRX);
    expect((await balance()) - before).toBe(200 * TRX);
    // c is frozen again and its holding period is over: it can be unstaked again.
    const again = await f.post('/api/v1/tron/staking/cancel-unfreeze', { address });
    expect(again.statusCode).toBe(409);
    expect(again.json().error_code).toBe('S306');
    await unstake(c.staking_id);
    expect((await record(c.staking_id)).status).toBe('inactive');
  });

  it('a 41-hex owner address works end to end, including the unsigned → signature path', async () => {
    const account = TronWeb.createRandom();
    const privateKey = account.privateKey.replace(/^0x/, '');
    await f.node.control('/devnet/faucet', { address: account.address, amount_sun: 500 * TRX });
    const hex = TronWeb.address.toHex(account.address);
    expect(hex).toMatch(/^41[0-9a-f]{40}$/i);
    const res = await stake(hex, 25, 1, { mode: 'unsigned' });
    expect(res.statusCode).toBe(202);
    expect(res.json().address).toBe(account.address);
    const signer = new TronWeb({ fullHost: f.node.url, privateKey });
    const signed = await signer.trx.sign(res.json().transaction);
    const sent = await f.post(`/api/v1/operations/${res.json().operation_id}/signature`, {
      signature: signed.signature,
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().owner_address).toBe(account.address);
    await f.settle();
    expect((await record(res.json().staking_id)).status).toBe('active');
    const byHex = (await f.get(`/api/v1/tron/staking/${hex}/status`)).json();
    expect(byHex.address).toBe(account.address);
    expect(byHex.records.active).toBe(1);
  });

  it('an Idempotency-Key past its TTL is gone and the key starts a new operation', async () => {
    const address = await f.managedAccount(1_000);
    const key = `ttl-${randomUUID()}`;
    const body = { address, amount: 5, duration: 1, resource: 'ENERGY' };
    const first = await f.post('/api/v1/tron/staking/stake', body, { 'idempotency-key': key });
    const repeat = await f.post('/api/v1/tron/staking/stake', body, { 'idempotency-key': key });
    expect(repeat.json().operation_id).toBe(first.json().operation_id);

    const past = new Date(Date.now() - 1_000);
    await db
      .collection('operations')
      .updateOne(
        { _id: first.json().operation_id as never },
        { $set: { idempotency_expires_at: past } },
      );
    await db.collection('idempotency_records').updateMany({ key }, { $set: { expires_at: past } });
    const later = await f.post('/api/v1/tron/staking/stake', body, { 'idempotency-key': key });
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().operation_id).not.toBe(first.json().operation_id);
    await f.settle();
    expect(await frozen(address, 'ENERGY')).toBe(10 * TRX);
  });
});
