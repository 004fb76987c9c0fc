import { randomUUID } from 'node:crypto';
import { OperationTrackerJob } from '../apps/staking-api/src/operations/operation-tracker.job.js';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

describe('exactly once: repeats, races, replicas and node faults never send a second transaction', () => {
  let f: StakingFixture;
  let address: string;

  beforeAll(async () => {
    f = await startStakingFixture('exactly-once');
    address = await f.managedAccount(100_000);
  });
  afterAll(async () => f?.close());

  const frozenEnergy = async () => {
    const a = await f.node.control<{ frozenV2?: { type?: string; amount?: number }[] }>(
      `/wallet/getaccount?address=${address}&visible=true`,
    );
    return a.frozenV2?.find((x) => x.type === 'ENERGY')?.amount ?? 0;
  };
  const stake = (key: string, amount = 10, via: TestApp = f.t) =>
    via.inject({
      method: 'POST',
      url: '/api/v1/tron/staking/stake',
      payload: { address, amount, duration: 1, resource: 'ENERGY' },
      headers: { ...f.auth, 'idempotency-key': key },
    });
  const opsWithKey = async (stakingIds: string[]) => new Set(stakingIds).size;

  it('a sequential repeat returns the first answer and makes no second transaction', async () => {
    const before = await frozenEnergy();
    const key = `seq-${randomUUID()}`;
    const first = await stake(key);
    const second = await stake(key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().staking_id).toBe(first.json().staking_id);
    expect(second.json().operation_id).toBe(first.json().operation_id);
    await f.settle();
    expect((await frozenEnergy()) - before).toBe(10 * TRX);
  });

  it('the same key with another body → 422 S706, nothing sent', async () => {
    const key = `mismatch-${randomUUID()}`;
    expect((await stake(key, 10)).statusCode).toBe(201);
    const other = await stake(key, 11);
    expect(other.statusCode).toBe(422);
    expect(other.json().error_code).toBe('S706');
  });

  it('concurrent repeats yield one operation and one transaction', async () => {
    await f.settle();
    const before = await frozenEnergy();
    const key = `race-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => stake(key, 7)));
    for (const a of answers) expect([201, 202]).toContain(a.statusCode);
    expect(await opsWithKey(answers.map((a) => a.json().staking_id))).toBe(1);
    await f.settle();
    expect((await frozenEnergy()) - before).toBe(7 * TRX);
    const list = (await f.get(`/api/v1/tron/staking/list?address=${address}&limit=1000`)).json();
    expect(list.stakings.filter((s: { amount: number }) => s.amount === 7)).toHaveLength(1);
  });

  it('two app instances racing on one key create one operation', async () => {
    const second = await bootTestApp('exactly-once-replica', { ...f.t.env });
    try {
      await f.settle();
      const before = await frozenEnergy();
      const key = `replicas-${randomUUID()}`;
      const answers = await Promise.all([
        stake(key, 13),
        stake(key, 13, second),
        stake(key, 13),
        stake(key, 13, second),
      ]);
      for (const a of answers) expect([201, 202]).toContain(a.statusCode);
      expect(await opsWithKey(answers.map((a) => a.json().staking_id))).toBe(1);
      await f.settle();
      expect((await frozenEnergy()) - before).toBe(13 * TRX);
    } finally {
      await second.close();
    }
  });

  it('node 5xx on broadcast is retried per policy and the stake goes through once', async () => {
    await f.settle();
    const before = await frozenEnergy();
    await f.node.control('/devnet/faults', {
      path: '/wallet/broadcasttransaction',
      mode: 'error',
      count: 2,
    });
    const res = await stake(`fault-${randomUUID()}`, 17);
    expect(res.statusCode).toBe(201);
    expect(res.json().operation_state).toBe('broadcast');
    await f.settle();
    expect((await frozenEnergy()) - before).toBe(17 * TRX);
  });

  it('a node that stays unreachable leaves the operation signed (202); the tracker re-sends the same bytes', async () => {
    await f.settle();
    const before = await frozenEnergy();
    await f.node.control('/devnet/faults', {
      path: '/wallet/broadcasttransaction',
      mode: 'drop',
      count: 50,
    });
    const res = await stake(`down-${randomUUID()}`, 19);
    expect(res.statusCode).toBe(202);
    expect(res.json().operation_state).toBe('signed');
    const txid = res.json().transaction_hash;
    await f.node.control('/devnet/faults', undefined, 'DELETE');
    await f.t.app.get(OperationTrackerJob).runOnce();
    const op = (await f.get(`/api/v1/operations/${res.json().operation_id}`)).json();
    expect(op.state).toBe('broadcast');
    expect(op.transaction_hash).toBe(txid);
    await f.settle();
    expect((await f.get(`/api/v1/operations/${res.json().operation_id}`)).json().state).toBe(
      'confirmed',
    );
    expect((await frozenEnergy()) - before).toBe(19 * TRX);
  });

  it('an Idempotency-Key of the wrong shape → 400 S118', async () => {
    const res = await stake('bad key!');
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('S118');
  });
});
