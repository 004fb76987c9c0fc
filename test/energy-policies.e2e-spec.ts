import { TronWeb } from 'tronweb';
import { EnergyPolicyJob } from '../apps/staking-api/src/delegation/energy-policies/energy-policy.job.js';
import { StakingCache } from '../apps/staking-api/src/staking/staking-cache.js';
import { writeTestPolicy } from './support/policy.js';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const D = '/api/v1/tron/staking';
const P = `${D}/energy-policies`;
const HOUR_S = 3_600;

describe('energy top-up policies on the devnet (real app, DB, Redis, job)', () => {
  let f: StakingFixture;
  let pool: string;

  const receiverNew = async () => {
    const a = TronWeb.createRandom().address;
    await f.node.control('/devnet/faucet', { address: a, amount_sun: 10 * TRX });
    return a;
  };
  const energy = async (address: string) => {
    // The view is cached for a block; the devnet's control calls do not invalidate it.
    await f.t.app.get(StakingCache).invalidate(address);
    const r = (await f.get(`${D}/${address}/resources`)).json();
    return r.energy as { limit: number; used: number; available: number };
  };
  const records = async (receiver: string) =>
    (await f.get(`${D}/delegations/${receiver}`)).json().records as {
      amount: number;
      status: string;
      locked: boolean;
      policy_id?: string;
    }[];
  const delegatedSun = async (from: string, to: string) =>
    (
      (
        await f.node.control<{ delegatedResource?: { frozen_balance_for_energy?: number }[] }>(
          `/wallet/getdelegatedresourcev2?fromAddress=${from}&toAddress=${to}&visible=true`,
        )
      ).delegatedResource ?? []
    ).reduce((s, d) => s + (d.frozen_balance_for_energy ?? 0), 0);
  const tick = () => f.t.app.get(EnergyPolicyJob).runOnce();
  const createPolicy = async (body: Record<string, unknown>) => {
    const res = await f.post(P, { pool_address: pool, resource: 'ENERGY', enabled: true, ...body });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; state: Record<string, unknown> };
  };
  const policy = async (id: string) => (await f.get(`${P}/${id}`)).json();
  const remove = async (id: string) =>
    expect(
      (await f.t.inject({ method: 'DELETE', url: `${P}/${id}`, headers: f.auth })).statusCode,
    ).toBe(204);
  /** Energy one TRX of stake yields now (TotalEnergyLimit / TotalEnergyWeight). */
  let perTrx: number;

  beforeAll(async () => {
    f = await startStakingFixture('energy-policies');
    pool = await f.managedAccount(50_000);
    const res = await f.post(`${D}/freeze`, { address: pool, amount: 20_000, resource: 'ENERGY' });
    expect(res.statusCode).toBe(201);
    await f.settle();
    const net = (await f.get(`${D}/${pool}/resources`)).json().network;
    perTrx = net.total_energy_limit / net.total_energy_weight;
    expect(perTrx).toBeGreaterThan(0);
  });
  afterAll(async () => f?.close());

  describe('CRUD with checks', () => {
    it('creates, lists, reads, patches and deletes a policy', async () => {
      const receiver = await receiverNew();
      const created = await f.post(P, {
        pool_address: pool,
        receiver_address: receiver,
        resource: 'energy',
        min_available: 1000,
        target_available: 5000,
        max_delegated_trx: 100,
        enabled: false,
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      expect(created.json()).toMatchObject({
        pool_address: pool,
        receiver_address: receiver,
        resource: 'ENERGY',
        max_delegated_trx: 100,
        lock_period: 0,
        enabled: false,
        state: { actions: 0, dormant: false },
      });
      const dup = await f.post(P, {
        pool_address: pool,
        receiver_address: receiver,
        resource: 'ENERGY',
        min_available: 1,
        target_available: 2,
        max_delegated_trx: 1,
        enabled: true,
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ error_code: 'S513', details: { policy_id: id } });
      const list = (await f.get(`${P}?pool_address=${pool}`)).json();
      expect(list.policies.map((p: { id: string }) => p.id)).toContain(id);
      const patched = await f.t.inject({
        method: 'PATCH',
        url: `${P}/${id}`,
        headers: f.auth,
        payload: { target_available: 8000, reclaim_idle_hours: 48 },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ target_available: 8000, reclaim_idle_hours: 48 });
      const bad = await f.t.inject({
        method: 'PATCH',
        url: `${P}/${id}`,
        headers: f.auth,
        payload: { min_available: 9000 },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error_code).toBe('S512');
      await remove(id);
      const gone = await f.get(`${P}/${id}`);
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error_code).toBe('S511');
    });

    it('a create repeated with its Idempotency-Key answers the same policy', async () => {
      const body = {
        pool_address: pool,
        receiver_address: await receiverNew(),
        resource: 'ENERGY',
        min_available: 1,
        target_available: 2,
        max_delegated_trx: 1,
        enabled: false,
      };
      const key = { 'idempotency-key': `policy-${Date.now()}` };
      const first = await f.post(P, body, key);
      const again = await f.post(P, body, key);
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.json().id).toBe(first.json().id);
      expect((await f.post(P, body)).json().error_code).toBe('S513');
      await remove(first.json().id);
    });

    it('refuses min above target (S512), a pool without a managed key (S215), unknown fields (S111)', async () => {
      const receiver = await receiverNew();
      const base = {
        receiver_address: receiver,
        resource: 'ENERGY',
        min_available: 10,
        target_available: 20,
        max_delegated_trx: 10,
        enabled: true,
      };
      const inverted = await f.post(P, { ...base, pool_address: pool, min_available: 30 });
      expect(inverted.json().error_code).toBe('S512');
      const foreign = await f.post(P, { ...base, pool_address: await receiverNew() });
      expect(foreign.statusCode).toBe(422);
      expect(foreign.json().error_code).toBe('S215');
      const extra = await f.post(P, { ...base, pool_address: pool, surprise: 1 });
      expect(extra.statusCode).toBe(400);
      expect(extra.json().error_code).toBe('S111');
    });
  });

  describe('top-up', () => {
    let receiver: string;
    let id: string;

    it('a receiver under the floor is topped up to the target within one tick', async () => {
      receiver = await receiverNew();
      id = (
        await createPolicy({
          receiver_address: receiver,
          min_available: 50_000,
          target_available: 150_000,
          max_delegated_trx: 100_000,
        })
      ).id;
      expect((await energy(receiver)).available).toBe(0);
      const ran = await tick();
      expect(ran.ran).toBe(true);
      expect(ran.result).toMatchObject({ topped_up: 1 });
      f.node.devnet.produceBlocks(1);
      const e = await energy(receiver);
      expect(e.available).toBeGreaterThanOrEqual(150_000);
      // Whole TRX of stake: at most one TRX's worth above the target.
      expect(e.available).toBeLessThan(150_000 + perTrx + 1);
      await f.settle();
      const recs = await records(receiver);
      expect(recs).toHaveLength(1);
      expect(recs[0]).toMatchObject({ status: 'active', policy_id: id });
    });

    it('consuming energy under the floor → topped up to the target again; two ticks in a row act once', async () => {
      const before = (await energy(receiver)).available;
      await f.node.control('/devnet/consume', { address: receiver, energy: before - 20_000 });
      expect((await energy(receiver)).available).toBe(20_000);
      await tick();
      const second = await tick();
      // The second tick sees the first one's operation in flight and waits for it.
      expect(second.result).toMatchObject({ waiting_operation: 1 });
      await f.settle();
      const third = await tick();
      expect(third.result).toMatchObject({ above_floor: 1 });
      expect(await records(receiver)).toHaveLength(2);
      const e = await energy(receiver);
      expect(e.available).toBeGreaterThanOrEqual(150_000);
      expect(e.available).toBeLessThan(150_000 + perTrx + 1);
      expect((await policy(id)).state).toMatchObject({ actions: 2, last_outcome: 'above_floor' });
    });

    it('usage recovers over 24 h as the chain’s window does: half of it after 12 h', async () => {
      const used = (await energy(receiver)).used;
      expect(used).toBeGreaterThan(0);
      f.node.devnet.advance(12 * HOUR_S);
      // Linear decay over the 28 800-slot window (the settle blocks add a minute or so).
      const half = (await energy(receiver)).used;
      expect(half).toBeLessThanOrEqual(Math.ceil(used / 2));
      expect(half).toBeGreaterThan(used * 0.49);
      f.node.devnet.advance(12 * HOUR_S);
      expect((await energy(receiver)).used).toBe(0);
      await remove(id);
    });
  });

  it('the cap holds: never more than max_delegated_trx to one receiver', async () => {
    const receiver = await receiverNew();
    const { id } = await createPolicy({
      receiver_address: receiver,
      min_available: 50_000,
      target_available: 150_000,
      max_delegated_trx: 10,
    });
    expect((await tick()).result).toMatchObject({ topped_up: 1 });
    await f.settle();
    expect(await delegatedSun(pool, receiver)).toBe(10 * TRX);
    expect((await tick()).result).toMatchObject({ capped: 1 });
    await f.settle();
    expect(await delegatedSun(pool, receiver)).toBe(10 * TRX);
    expect(await records(receiver)).toHaveLength(1);
    await remove(id);
  });

  it('a pool running dry: what it can is delegated, the alert is raised once (metric and incident), nothing more', async () => {
    const small = await f.managedAccount(100);
    expect(
      (await f.post(`${D}/freeze`, { address: small, amount: 5, resource: 'ENERGY' })).statusCode,
    ).toBe(201);
    await f.settle();
    const receiver = await receiverNew();
    const res = await f.post(P, {
      pool_address: small,
      receiver_address: receiver,
      resource: 'ENERGY',
      min_available: 100_000,
      target_available: 200_000,
      max_delegated_trx: 100_000,
      enabled: true,
    });
    const id = res.json().id;
    const dryMetric = async () =>
      Number(
        /energy_policy_pool_dry_total\{resource="ENERGY"\} (\d+)/.exec(
          (await f.t.inject({ method: 'GET', url: '/metrics' })).body,
        )?.[1] ?? 0,
      );
    expect(await dryMetric()).toBe(0);
    expect((await tick()).result).toMatchObject({ topped_up: 1 });
    await f.settle();
    expect(await delegatedSun(small, receiver)).toBe(5 * TRX);
    const since = (await policy(id)).state.pool_dry_since;
    expect(since).toBeDefined();
    expect(await dryMetric()).toBe(1);
    expect((await tick()).result).toMatchObject({ pool_dry: 1 });
    expect((await tick()).result).toMatchObject({ pool_dry: 1 });
    expect(await dryMetric()).toBe(1);
    expect((await policy(id)).state.pool_dry_since).toBe(since);
    // One incident for the spell, however many ticks find the pool dry.
    const incidents = (await f.get('/api/v1/compliance/incidents?type=energy_pool_dry'))
      .json()
      .incidents.filter((i: { subject: string }) => i.subject === small);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ severity: 'medium', status: 'open' });
    expect(incidents[0].summary).toContain(receiver);
    await remove(id);
  });

  it('an idle receiver’s delegation is reclaimed after the idle window, not before its lock ends', async () => {
    const receiver = await receiverNew();
    const { id } = await createPolicy({
      receiver_address: receiver,
      min_available: 10_000,
      target_available: 30_000,
      max_delegated_trx: 100_000,
      lock_period: 28_800, // one day
      reclaim_idle_hours: 2,
    });
    expect((await tick()).result).toMatchObject({ topped_up: 1 });
    await f.settle();
    const delegated = await delegatedSun(pool, receiver);
    expect(delegated).toBeGreaterThan(0);
    expect((await records(receiver))[0]).toMatchObject({ locked: true });

    f.node.devnet.advance(1 * HOUR_S);
    expect((await tick()).result).toMatchObject({ above_floor: 1 });
    f.node.devnet.advance(2 * HOUR_S);
    // Idle for 3 h, but locked for a day: nothing is taken back yet.
    expect((await tick()).result).toMatchObject({ reclaim_waiting_lock: 1 });
    await f.settle();
    expect(await delegatedSun(pool, receiver)).toBe(delegated);

    f.node.devnet.advance(21 * HOUR_S + 60);
    expect((await tick()).result).toMatchObject({ reclaimed: 1 });
    await f.settle();
    expect(await delegatedSun(pool, receiver)).toBe(0);
    expect((await records(receiver))[0]).toMatchObject({ status: 'undelegated' });
    // Dormant now: below the floor, but no top-up until the receiver is active again.
    expect((await tick()).result).toMatchObject({ dormant: 1 });
    expect((await policy(id)).state.dormant).toBe(true);
    await f.node.control('/devnet/consume', { address: receiver, bandwidth: 300 });
    expect((await tick()).result).toMatchObject({ topped_up: 1 });
    await f.settle();
    expect(await delegatedSun(pool, receiver)).toBeGreaterThan(0);
    await remove(id);
  });

  describe('two replicas', () => {
    let b: TestApp;
    beforeAll(async () => {
      const shared = [
        'MONGODB_URI',
        'REDIS_KEY_PREFIX',
        'JWT_SECRET',
        'ADMIN_PASSWORD',
        'KEYSTORE_MASTER_SECRET',
      ] as const;
      b = await bootTestApp('energy-policies', {
        TRON_FULL_HOST: f.node.url,
        TRON_MAX_REQUESTS_PER_SECOND: '5000',
        ...Object.fromEntries(shared.map((k) => [k, f.t.env[k]!])),
      });
    });
    afterAll(async () => b?.close());

    it('never double-act: concurrent and repeated ticks on both make one delegation', async () => {
      const receiver = await receiverNew();
      const { id } = await createPolicy({
        receiver_address: receiver,
        min_available: 10_000,
        target_available: 40_000,
        max_delegated_trx: 100_000,
      });
      const jobs = [f.t.app.get(EnergyPolicyJob), b.app.get(EnergyPolicyJob)];
      const both = await Promise.all(jobs.map((j) => j.runOnce()));
      const acted = both.filter((o) => (o.result?.topped_up as number | undefined) === 1);
      expect(acted).toHaveLength(1);
      for (const j of [...jobs, ...jobs]) {
        const o = await j.runOnce();
        expect(o.result?.topped_up).toBeUndefined();
      }
      await f.settle();
      for (const j of jobs) expect((await j.runOnce()).result?.topped_up).toBeUndefined();
      expect(await records(receiver)).toHaveLength(1);
      const e = await energy(receiver);
      expect(e.available).toBeGreaterThanOrEqual(40_000);
      expect((await policy(id)).state.actions).toBe(1);
      await remove(id);
    });
  });
});

describe('the energy-policy job stays within the node request budget of the policy file', () => {
  let f: StakingFixture;
  // One action (~11 requests with its check) fits, a second does not: one top-up per tick.
  const BUDGET = 15;

  beforeAll(async () => {
    const policyFile = writeTestPolicy((p) => {
      p.energy_policies = {
        buckets: 1,
        max_policies_per_tick: 100,
        node_requests_per_tick: BUDGET,
      };
    });
    f = await startStakingFixture('energy-budget', { SECURITY_POLICIES_FILE: policyFile });
  });
  afterAll(async () => f?.close());

  it('serves what the budget allows per tick and resumes with the rest on the next', async () => {
    const pool = await f.managedAccount(10_000);
    expect(
      (await f.post(`${D}/freeze`, { address: pool, amount: 5_000, resource: 'ENERGY' }))
        .statusCode,
    ).toBe(201);
    await f.settle();
    const receivers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = TronWeb.createRandom().address;
      await f.node.control('/devnet/faucet', { address: r, amount_sun: TRX });
      receivers.push(r);
      const res = await f.post(P, {
        pool_address: pool,
        receiver_address: r,
        resource: 'ENERGY',
        min_available: 1_000,
        target_available: 2_000,
        max_delegated_trx: 1_000,
        enabled: true,
      });
      expect(res.statusCode).toBe(201);
    }
    const job = f.t.app.get(EnergyPolicyJob);
    const served: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { result } = await job.runOnce();
      expect(result!.node_requests as number).toBeLessThanOrEqual(BUDGET);
      served.push((result!.topped_up as number | undefined) ?? 0);
    }
    expect(served).toEqual([1, 1, 1]);
    await f.settle();
    for (const r of receivers) {
      const view = (await f.get(`${D}/delegations/${r}`)).json();
      expect(view.incoming).toHaveLength(1);
    }
  });
});
