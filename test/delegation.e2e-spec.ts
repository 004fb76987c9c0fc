import { TronWeb } from 'tronweb';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';

const DAY_S = 86_400;
const BLOCKS_PER_DAY = 28_800;
const D = '/api/v1/tron/staking';

interface ChainDelegation {
  frozen_balance_for_energy?: number;
  frozen_balance_for_bandwidth?: number;
  expire_time_for_energy?: number;
}

describe('delegation on the devnet (real app, DB, Redis, tronweb)', () => {
  let f: StakingFixture;
  let owner: string;
  let receiver: string;

  const chainDelegations = async (from: string, to: string) =>
    (
      await f.node.control<{ delegatedResource?: ChainDelegation[] }>(
        `/wallet/getdelegatedresourcev2?fromAddress=${from}&toAddress=${to}&visible=true`,
      )
    ).delegatedResource ?? [];
  const delegatedEnergySun = async (from: string, to: string) =>
    (await chainDelegations(from, to)).reduce((s, d) => s + (d.frozen_balance_for_energy ?? 0), 0);
  const fundedAddress = async (trx = 1) => {
    const a = TronWeb.createRandom();
    await f.node.control('/devnet/faucet', { address: a.address, amount_sun: trx * TRX });
    return { address: a.address, privateKey: a.privateKey.replace(/^0x/, '') };
  };
  const opsCount = async () =>
    (await f.get('/api/v1/operations?limit=1000')).json().operations.length;

  beforeAll(async () => {
    f = await startStakingFixture('delegation');
    owner = await f.managedAccount(10_000);
    for (const [amount, resource] of [
      [3000, 'ENERGY'],
      [500, 'BANDWIDTH'],
    ] as const)
      expect((await f.post(`${D}/freeze`, { address: owner, amount, resource })).statusCode).toBe(
        201,
      );
    await f.settle();
    receiver = (await fundedAddress()).address;
  });
  afterAll(async () => f?.close());

  it('delegate → the chain shows it → the receiver gets the energy', async () => {
    const res = await f.post(`${D}/delegate`, {
      address: owner,
      receiver_address: receiver,
      amount: 100,
      resource: 'energy',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      address: owner,
      receiver_address: receiver,
      amount: 100,
      resource: 'ENERGY',
      status: 'pending',
      lock: false,
      operation_state: 'broadcast',
    });
    expect(body.delegation_id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.txid).toMatch(/^[0-9a-f]{64}$/);
    await f.settle();
    expect(await delegatedEnergySun(owner, receiver)).toBe(100 * TRX);

    const res2 = (await f.get(`${D}/${receiver}/resources`)).json();
    expect(res2.delegated_in.energy).toBe(100);
    expect(res2.energy.limit).toBeGreaterThan(0);
    // What the receiver really gets: 100 TRX × TotalEnergyLimit / TotalEnergyWeight.
    const net = res2.network;
    expect(res2.energy.limit).toBe(
      Math.floor((100 * TRX * net.total_energy_limit) / (TRX * net.total_energy_weight)),
    );
    expect(res2.delegated_in_units.energy).toBe(res2.energy.limit);
    const status = (await f.get(`${D}/${owner}/status`)).json();
    expect(status.delegated_out.energy).toBe(100);

    const view = (await f.get(`${D}/delegations/${owner}`)).json();
    expect(view.outgoing).toEqual([
      expect.objectContaining({
        from_address: owner,
        to_address: receiver,
        resource: 'ENERGY',
        amount: 100,
        unlocked_amount: 100,
        locked_amount: 0,
        lock_expires_at: null,
        resource_units: res2.energy.limit,
        recorded_amount: 100,
        matches_records: true,
      }),
    ]);
    expect(view.records).toEqual([
      expect.objectContaining({
        id: body.delegation_id,
        from_address: owner,
        to_address: receiver,
        resource_type: 'ENERGY',
        amount: 100,
        locked: false,
        status: 'active',
        expires_at: null,
        chain_status: 'matches_chain',
      }),
    ]);
    const incoming = (await f.get(`${D}/delegations/${receiver}`)).json();
    expect(incoming.incoming).toHaveLength(1);
    expect(incoming.incoming[0]).toMatchObject({ from_address: owner, amount: 100 });
  });

  it("the models' shape (from_address/to_address) works too; both names at odds → 422 S160", async () => {
    const res = await f.post(`${D}/delegate`, {
      from_address: owner,
      to_address: receiver,
      amount: 50,
      resource: 'BANDWIDTH',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ address: owner, receiver_address: receiver, amount: 50 });
    await f.settle();
    const bw = (await chainDelegations(owner, receiver)).reduce(
      (s, d) => s + (d.frozen_balance_for_bandwidth ?? 0),
      0,
    );
    expect(bw).toBe(50 * TRX);
    const other = (await fundedAddress()).address;
    const clash = await f.post(`${D}/delegate`, {
      address: owner,
      from_address: other,
      receiver_address: receiver,
      amount: 5,
      resource: 'ENERGY',
    });
    expect(clash.statusCode).toBe(422);
    expect(clash.json().error_code).toBe('S160');
    const none = await f.post(`${D}/delegate`, { address: owner, amount: 5, resource: 'ENERGY' });
    expect(none.json().error_code).toBe('S160');
  });

  describe('refusals before anything is built', () => {
    let before: number;
    beforeAll(async () => {
      before = await opsCount();
    });
    afterAll(async () => {
      // Not one of them created an operation.
      expect(await opsCount()).toBe(before);
    });

    it('over the node’s getcandelegatedmaxsize → 422 S502 with the maximum', async () => {
      const max = await f.node.control<{ max_size: number }>(
        `/wallet/getcandelegatedmaxsize?owner_address=${owner}&type=1&visible=true`,
      );
      const res = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: receiver,
        amount: max.max_size / TRX + 1,
        resource: 'ENERGY',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error_code).toBe('S502');
      expect(Number(res.json().details.max_trx)).toBe(max.max_size / TRX);
    });

    it('below 1 TRX → 422 S501; to itself → 422 S503', async () => {
      const small = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 0.5,
        resource: 'ENERGY',
      });
      expect(small.statusCode).toBe(422);
      expect(small.json().error_code).toBe('S501');
      const self = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: owner,
        amount: 5,
        resource: 'ENERGY',
      });
      expect(self.statusCode).toBe(422);
      expect(self.json().error_code).toBe('S503');
    });

    it('an unactivated receiver → 422 S504', async () => {
      const res = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: TronWeb.createRandom().address,
        amount: 5,
        resource: 'ENERGY',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error_code).toBe('S504');
    });

    it('a lock period beyond getMaxDelegateLockPeriod → 422 S508 with the maximum', async () => {
      const params = await f.node.control<{ chainParameter: { key: string; value?: number }[] }>(
        '/wallet/getchainparameters',
      );
      const max = params.chainParameter.find((p) => p.key === 'getMaxDelegateLockPeriod')!.value!;
      const res = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 5,
        resource: 'ENERGY',
        lock: true,
        lock_period: max + 1,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error_code).toBe('S508');
      expect(res.json().details.max_lock_period).toBe(max);
      const contradictory = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 5,
        resource: 'ENERGY',
        lock: false,
        lock_period: 100,
      });
      expect(contradictory.statusCode).toBe(422);
      expect(contradictory.json().error_code).toBe('S508');
    });
  });

  describe('locks', () => {
    let lockedAt: number;

    it('a locked delegation shows its lock end; a shorter lock to the same receiver → 422 S509', async () => {
      const res = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 200,
        resource: 'ENERGY',
        lock: true,
        lock_period: BLOCKS_PER_DAY,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ lock: true, lock_period: BLOCKS_PER_DAY });
      await f.settle();
      const locked = (await chainDelegations(owner, receiver)).find(
        (d) => (d.expire_time_for_energy ?? 0) > 0,
      )!;
      lockedAt = locked.expire_time_for_energy!;
      const view = (await f.get(`${D}/delegations/${owner}`)).json();
      const energy = view.outgoing.find((e: { resource: string }) => e.resource === 'ENERGY');
      expect(energy).toMatchObject({ amount: 300, locked_amount: 200, unlocked_amount: 100 });
      expect(Date.parse(energy.lock_expires_at)).toBe(lockedAt);
      const record = view.records.find((r: { id: string }) => r.id === res.json().delegation_id);
      expect(record).toMatchObject({ locked: true, status: 'active' });
      expect(Date.parse(record.expires_at)).toBe(lockedAt);

      const shorter = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 5,
        resource: 'ENERGY',
        lock_period: 1200,
      });
      expect(shorter.statusCode).toBe(422);
      expect(shorter.json().error_code).toBe('S509');
      expect(Date.parse(shorter.json().details.current_lock_ends_at)).toBe(lockedAt);
      expect(shorter.json().details.min_lock_period).toBeGreaterThan(1200);
    });

    it('undelegating locked stake → 409 S505 with unlock_at; more than delegated → 422 S510', async () => {
      const locked = await f.post(`${D}/undelegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 150,
        resource: 'ENERGY',
      });
      expect(locked.statusCode).toBe(409);
      expect(locked.json().error_code).toBe('S505');
      expect(Date.parse(locked.json().details.unlock_at)).toBe(lockedAt);
      expect(Number(locked.json().details.unlocked_trx)).toBe(100);
      const over = await f.post(`${D}/undelegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 301,
        resource: 'ENERGY',
      });
      expect(over.statusCode).toBe(422);
      expect(over.json().error_code).toBe('S510');
      const nothing = await f.post(`${D}/undelegate`, {
        address: owner,
        receiver_address: (await fundedAddress()).address,
        amount: 1,
        resource: 'ENERGY',
      });
      expect(nothing.json().error_code).toBe('S506');
    });

    it('after the lock ends, undelegate takes it all back and the records follow', async () => {
      f.node.devnet.advance(DAY_S + 10);
      const res = await f.post(`${D}/undelegate`, {
        from_address: owner,
        to_address: receiver,
        amount: 300,
        resource: 'ENERGY',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().operation_state).toBe('broadcast');
      await f.settle();
      expect(await delegatedEnergySun(owner, receiver)).toBe(0);
      const view = (await f.get(`${D}/delegations/${owner}`)).json();
      expect(view.outgoing.filter((e: { resource: string }) => e.resource === 'ENERGY')).toEqual(
        [],
      );
      const energyRecords = view.records.filter(
        (r: { resource_type: string }) => r.resource_type === 'ENERGY',
      );
      expect(energyRecords.map((r: { status: string }) => r.status)).toEqual([
        'undelegated',
        'undelegated',
      ]);
      expect(
        energyRecords.every((r: { remaining_amount: number }) => r.remaining_amount === 0),
      ).toBe(true);
    });
  });

  it('activate_receiver: a new receiver is activated first, as its own operation', async () => {
    const fresh = TronWeb.createRandom().address;
    const res = await f.post(`${D}/delegate`, {
      address: owner,
      receiver_address: fresh,
      amount: 10,
      resource: 'ENERGY',
      activate_receiver: true,
    });
    expect(res.statusCode).toBe(201);
    const activation = (
      await f.get(`/api/v1/operations/${res.json().activation_operation_id}`)
    ).json();
    expect(activation.kind).toBe('activate');
    expect(activation.operation_id ?? activation.id).not.toBe(res.json().operation_id);
    await f.settle();
    const account = await f.node.control<{ address?: string }>(
      `/wallet/getaccount?address=${fresh}&visible=true`,
    );
    expect(account.address).toBe(fresh);
    expect(await delegatedEnergySun(owner, fresh)).toBe(10 * TRX);
  });

  describe('unsigned mode, and the chain winning over our records', () => {
    let external: { address: string; privateKey: string };
    let tronWeb: TronWeb;

    beforeAll(async () => {
      external = await fundedAddress(1_000);
      tronWeb = new TronWeb({ fullHost: f.node.url, privateKey: external.privateKey });
      const freeze = await tronWeb.transactionBuilder.freezeBalanceV2(
        500 * TRX,
        'ENERGY',
        external.address,
      );
      await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(freeze));
      f.node.devnet.produceBlocks(1);
    });

    it('answers 202 with the unsigned delegation; signed by its owner it is broadcast and recorded', async () => {
      const res = await f.post(`${D}/delegate`, {
        address: external.address,
        receiver_address: receiver,
        amount: 40,
        resource: 'ENERGY',
        mode: 'unsigned',
      });
      expect(res.statusCode).toBe(202);
      const { operation_id, transaction, delegation_id } = res.json();
      expect(res.json().operation_state).toBe('built');
      expect(transaction.raw_data.contract[0].type).toBe('DelegateResourceContract');
      const signed = await tronWeb.trx.sign(transaction);
      const sent = await f.post(`/api/v1/operations/${operation_id}/signature`, {
        signature: signed.signature,
      });
      expect(sent.statusCode).toBe(200);
      expect(sent.json().state).toBe('broadcast');
      await f.settle();
      expect(await delegatedEnergySun(external.address, receiver)).toBe(40 * TRX);
      const view = (await f.get(`${D}/delegations/${external.address}`)).json();
      expect(view.records).toEqual([
        expect.objectContaining({
          id: delegation_id,
          status: 'active',
          chain_status: 'matches_chain',
        }),
      ]);
    });

    it('a change made outside the service: the chain amount wins and the record says so', async () => {
      const tx = await tronWeb.transactionBuilder.undelegateResource(
        15 * TRX,
        receiver,
        'ENERGY',
        external.address,
      );
      await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(tx));
      f.node.devnet.produceBlocks(1);
      const view = (await f.get(`${D}/delegations/${external.address}`)).json();
      expect(view.outgoing[0]).toMatchObject({
        amount: 25,
        recorded_amount: 40,
        matches_records: false,
      });
      expect(view.records[0]).toMatchObject({
        amount: 40,
        chain_status: 'chain_differs',
        chain_amount: 25,
      });
    });
  });
  it('a longer second lock moves the end of both locked records, as the chain does', async () => {
    const to = (await fundedAddress()).address;
    const ids: string[] = [];
    for (const lock_period of [1_200, 2_400]) {
      const res = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: to,
        amount: 3,
        resource: 'ENERGY',
        lock_period,
      });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().delegation_id);
      await f.settle();
    }
    const view = (await f.get(`${D}/delegations/${owner}`)).json();
    const entry = view.outgoing.find((e: { to_address: string }) => e.to_address === to);
    expect(entry).toMatchObject({ amount: 6, locked_amount: 6 });
    const ends = view.records
      .filter((r: { id: string }) => ids.includes(r.id))
      .map((r: { expires_at: string }) => r.expires_at);
    expect(ends).toEqual([entry.lock_expires_at, entry.lock_expires_at]);
  });

  it('the view of an address with no delegations is empty; a malformed address → 400 S101', async () => {
    const quiet = TronWeb.createRandom().address;
    const res = await f.get(`${D}/delegations/${quiet}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ address: quiet, outgoing: [], incoming: [], records: [] });
    const bad = await f.get(`${D}/delegations/not-an-address`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error_code).toBe('S101');
  });

  it('an Idempotency-Key repeat answers the first delegation and never sends a second one', async () => {
    const key = `deleg-${Date.now()}`;
    const body = { address: owner, receiver_address: receiver, amount: 7, resource: 'BANDWIDTH' };
    const first = await f.post(`${D}/delegate`, body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const again = await f.post(`${D}/delegate`, body, { 'idempotency-key': key });
    expect(again.json().operation_id).toBe(first.json().operation_id);
    expect(again.json().delegation_id).toBe(first.json().delegation_id);
    const other = await f.post(`${D}/delegate`, { ...body, amount: 8 }, { 'idempotency-key': key });
    expect([409, 422]).toContain(other.statusCode);
    expect(other.json().error_code).toBe('S706');
    await f.settle();
    const view = (await f.get(`${D}/delegations/${owner}`)).json();
    const bw = view.outgoing.find(
      (e: { to_address: string; resource: string }) =>
        e.to_address === receiver && e.resource === 'BANDWIDTH',
    );
    expect(bw).toMatchObject({ amount: 57, matches_records: true });
  });

  it('a node failing its reads answers an S9xx code, never a 500, and creates nothing', async () => {
    const before = await opsCount();
    await f.node.control('/devnet/faults', {
      path: '/wallet/getcandelegatedmaxsize',
      mode: 'error',
      status: 503,
      count: 50,
    });
    try {
      const res = await f.post(`${D}/delegate`, {
        address: owner,
        receiver_address: receiver,
        amount: 3,
        resource: 'ENERGY',
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(502);
      expect(res.statusCode).toBeLessThan(600);
      expect(res.json().error_code).toMatch(/^S9\d\d$/);
    } finally {
      await f.node.control('/devnet/faults', undefined, 'DELETE');
    }
    expect(await opsCount()).toBe(before);
  });
});
