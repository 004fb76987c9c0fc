import { TronWeb } from 'tronweb';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';

const DAY_S = 86_400;

describe('staking life cycle on the devnet (real app, DB, Redis, tronweb)', () => {
  let f: StakingFixture;
  let address: string;
  let stakingId: string;

  beforeAll(async () => {
    f = await startStakingFixture('staking');
    address = await f.managedAccount(10_000);
  });
  afterAll(async () => f?.close());

  const chainBalance = async (a: string) =>
    BigInt(
      (await f.node.control<{ balance?: number }>(`/wallet/getaccount?address=${a}&visible=true`))
        .balance ?? 0,
    );

  it('stake answers once broadcast, with the operation and transaction hash', async () => {
    const res = await f.post('/api/v1/tron/staking/stake', {
      address,
      amount: 1000,
      duration: 3,
      resource: 'energy',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      address,
      amount: 1000,
      duration: 3,
      resource: 'ENERGY',
      status: 'pending',
      operation_state: 'broadcast',
    });
    expect(body.staking_id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.transaction_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.operation_id).toMatch(/^[0-9a-f-]{36}$/);
    stakingId = body.staking_id;
  });

  it('turns active when the block confirms it, with the holding period in chain time', async () => {
    await f.settle();
    const record = (await f.get(`/api/v1/tron/staking/${stakingId}`)).json();
    expect(record.status).toBe('active');
    expect(record.block_number).toBeGreaterThan(0);
    expect(Date.parse(record.expires_at) - Date.parse(record.confirmed_at)).toBe(3 * DAY_S * 1000);
    const op = (await f.get(`/api/v1/operations/${record.operation_id}`)).json();
    expect(op.state).toBe('confirmed');
    expect(op.history.map((h: { state: string }) => h.state)).toEqual([
      'requested',
      'built',
      'signed',
      'broadcast',
      'confirmed',
    ]);
    const metrics = (await f.t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /staking_operations_settled_total\{kind="freeze",state="confirmed"\} 1/,
    );
  });

  it('appears in list, stats and status with the right numbers', async () => {
    const list = (await f.get(`/api/v1/tron/staking/list?address=${address}`)).json();
    expect(list).toMatchObject({ total_count: 1, active_count: 1, total_staked_trx: 1000 });
    expect(list.stakings[0].staking_id).toBe(stakingId);
    const stats = (await f.get('/api/v1/tron/staking/stats')).json();
    expect(stats).toMatchObject({
      total_staking_records: 1,
      active_staking_records: 1,
      total_staked_trx: 1000,
      total_energy_resources: 1000,
      total_bandwidth_resources: 0,
    });
    const status = (await f.get(`/api/v1/tron/staking/${address}/status`)).json();
    expect(status).toMatchObject({
      address,
      activated: true,
      frozen: { energy: 1000, bandwidth: 0 },
      tron_power: 1000,
      records: { active: 1, total_staked_trx: 1000 },
    });
    const resources = (await f.get(`/api/v1/tron/staking/${address}/resources`)).json();
    expect(resources.energy.limit).toBeGreaterThan(0);
    expect(resources.frozen.energy).toBe(1000);
    const history = (await f.get('/api/v1/tron/staking/history')).json();
    expect(history.total_count).toBe(1);
  });

  it('refuses unstake during the holding period (409 S303)', async () => {
    const res = await f.post('/api/v1/tron/staking/unstake', { staking_id: stakingId });
    expect(res.statusCode).toBe(409);
    expect(res.json().error_code).toBe('S303');
    expect(res.json().details.expires_at).toBeDefined();
  });

  it('allows unstake once the devnet clock passes the holding period', async () => {
    f.node.devnet.advance(3 * DAY_S + 10);
    await f.runJobs();
    expect((await f.get(`/api/v1/tron/staking/${stakingId}`)).json().status).toBe('expired');
    const res = await f.post('/api/v1/tron/staking/unstake', { staking_id: stakingId });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ staking_id: stakingId, operation_state: 'broadcast' });
    expect(res.json().unstake_transaction_hash).toMatch(/^[0-9a-f]{64}$/);
    await f.settle();
    const record = (await f.get(`/api/v1/tron/staking/${stakingId}`)).json();
    expect(record.status).toBe('inactive');
    expect(
      Date.parse(record.unfreeze_available_at) - Date.parse(record.expires_at),
    ).toBeGreaterThanOrEqual(14 * DAY_S * 1000);
    const again = await f.post('/api/v1/tron/staking/unstake', { staking_id: stakingId });
    expect(again.json().error_code).toBe('S305');
  });

  it('after 14 days the job withdraws the TRX and the balance returns', async () => {
    const before = await chainBalance(address);
    await f.runJobs();
    expect(await chainBalance(address)).toBe(before); // nothing matured yet
    f.node.devnet.advance(14 * DAY_S + 10);
    await f.runJobs();
    await f.settle();
    const after = await chainBalance(address);
    expect(after - before).toBe(1000n * BigInt(TRX));
    expect((await f.get(`/api/v1/tron/staking/${stakingId}`)).json().status).toBe('completed');
    // The job is idempotent: a second run finds nothing to do.
    await f.runJobs();
    await f.settle();
    expect(await chainBalance(address)).toBe(after);
  });

  describe('refusals checked against fresh chain state before anything is built', () => {
    it.each([
      [{ amount: 0.5 }, 422, 'S105'],
      [{ amount: -5 }, 400, 'S102'],
      [{ amount: 20_000_000 }, 422, 'S106'],
      [{ amount: '1.0000001' }, 400, 'S102'],
      [{ duration: 0 }, 400, 'S103'],
      [{ duration: 366 }, 400, 'S103'],
      [{ duration: 1.5 }, 400, 'S103'],
      [{ resource: 'TRON_POWER' }, 400, 'S104'],
      [{ address: 'Tnotanaddress' }, 400, 'S101'],
      [{ private_key: 'aa'.repeat(32) }, 400, 'S109'],
    ])('%o → %i %s', async (change, status, code) => {
      const res = await f.post('/api/v1/tron/staking/stake', {
        address,
        amount: 10,
        duration: 3,
        resource: 'ENERGY',
        ...change,
      });
      expect(res.statusCode).toBe(status);
      expect(res.json().error_code).toBe(code);
    });

    it('insufficient balance → 422 S201, nothing broadcast', async () => {
      const res = await f.post('/api/v1/tron/staking/stake', {
        address,
        amount: 9_000_000,
        duration: 3,
        resource: 'ENERGY',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error_code).toBe('S201');
    });

    it('an address without a managed key → 422 S215', async () => {
      const stranger = f.node.accounts[5]!.address;
      const res = await f.post('/api/v1/tron/staking/stake', {
        address: stranger,
        amount: 10,
        duration: 3,
        resource: 'ENERGY',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error_code).toBe('S215');
    });

    it('unknown staking id → 404 S301; malformed → 400 S107', async () => {
      expect((await f.get(`/api/v1/tron/staking/${'0'.repeat(32)}`)).json().error_code).toBe(
        'S301',
      );
      expect((await f.get('/api/v1/tron/staking/XYZ')).json().error_code).toBe('S107');
    });

    it('unfreeze more than is frozen → 422 S304', async () => {
      const res = await f.post('/api/v1/tron/staking/unfreeze', {
        address,
        resource: 'BANDWIDTH',
        amount: 5,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error_code).toBe('S304');
    });
  });

  describe('non-custodial path: the service never holds the key', () => {
    let external: { address: string; privateKey: string };

    beforeAll(async () => {
      const account = TronWeb.createRandom();
      external = { address: account.address, privateKey: account.privateKey.replace(/^0x/, '') };
      await f.node.control('/devnet/faucet', { address: external.address, amount_sun: 500 * TRX });
      f.node.devnet.produceBlocks(1);
    });

    it('answers 202 with the unsigned transaction; a signature by tronweb is verified and broadcast', async () => {
      const res = await f.post('/api/v1/tron/staking/stake', {
        address: external.address,
        amount: 100,
        duration: 1,
        resource: 'BANDWIDTH',
        mode: 'unsigned',
      });
      expect(res.statusCode).toBe(202);
      const { operation_id, transaction, staking_id } = res.json();
      expect(res.json().operation_state).toBe('built');
      expect(transaction.txID).toMatch(/^[0-9a-f]{64}$/);

      const wrongKey = TronWeb.createRandom().privateKey.replace(/^0x/, '');
      const forged = new TronWeb({ fullHost: f.node.url }).utils.crypto.signTransaction(
        wrongKey,
        structuredClone(transaction),
      );
      const refused = await f.post(`/api/v1/operations/${operation_id}/signature`, {
        signature: forged.signature,
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error_code).toBe('S214');

      const signer = new TronWeb({ fullHost: f.node.url, privateKey: external.privateKey });
      const signed = await signer.trx.sign(transaction);
      const accepted = await f.post(`/api/v1/operations/${operation_id}/signature`, {
        signature: signed.signature,
      });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json().state).toBe('broadcast');
      await f.settle();
      expect((await f.get(`/api/v1/tron/staking/${staking_id}`)).json().status).toBe('active');
      const account = await f.node.control<{ frozenV2?: { type?: string; amount?: number }[] }>(
        `/wallet/getaccount?address=${external.address}&visible=true`,
      );
      expect(account.frozenV2?.find((x) => !x.type)?.amount).toBe(100 * TRX);
    });

    it('a malformed signature → 400 S117', async () => {
      const res = await f.post(
        `/api/v1/operations/00000000-0000-4000-8000-000000000000/signature`,
        { signature: ['abc'] },
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('S117');
    });
  });
});
