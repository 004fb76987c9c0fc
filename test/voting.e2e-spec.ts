import { ErrorCode } from '@app/common';
import { TronWeb } from 'tronweb';
import { VotePolicyJob } from '../apps/staking-api/src/voting/vote-policy.job.js';
import { loginAs } from './support/auth.js';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';

const DAY_S = 86_400;
const BASE = '/api/v1/tron/staking';

interface DevnetWitness {
  address: string;
  vote_count: number;
  brokerage: number;
}

type Votes = Record<string, number>;

describe('voting on the devnet (real app, DB, Redis, tronweb)', () => {
  let f: StakingFixture;
  let address: string;
  let sr: string[];

  const chainVotes = async (a: string): Promise<Votes> => {
    const acc = await f.node.control<{ votes?: { vote_address: string; vote_count: number }[] }>(
      `/wallet/getaccount?address=${a}&visible=true`,
    );
    return Object.fromEntries((acc.votes ?? []).map((v) => [v.vote_address, v.vote_count]));
  };
  const votesView = (a: string) => f.get(`${BASE}/votes/${a}`);
  const freeze = async (a: string, amount: number) => {
    const res = await f.post(`${BASE}/freeze`, { address: a, amount, resource: 'ENERGY' });
    expect(res.statusCode).toBe(201);
    await f.settle();
  };
  const tick = async () =>
    (await f.t.app.get(VotePolicyJob).runOnce()).result as Record<string, number>;

  beforeAll(async () => {
    // Approvals of votes ≥ 1,000 have their own suite (test/approvals.e2e-spec.ts).
    f = await startStakingFixture('voting', { APPROVALS_ENABLED: 'false' });
    address = await f.managedAccount(10_000);
    const state = await f.node.control<{ witnesses: DevnetWitness[] }>('/devnet/state');
    sr = state.witnesses.map((w) => w.address);
    await freeze(address, 1000);
  });
  afterAll(async () => f?.close());

  describe('GET /witnesses', () => {
    it('ranks every witness by votes with brokerage, blocks, is_active and the estimated voter APR of a hand calculation', async () => {
      const state = await f.node.control<{
        witnesses: DevnetWitness[];
        chain_parameters: Record<string, number>;
      }>('/devnet/state');
      const res = await f.get(`${BASE}/witnesses?limit=30`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.total_count).toBe(27);
      expect(body.witnesses).toHaveLength(27);
      expect(body.witnesses.map((w: { rank: number }) => w.rank)).toEqual(
        Array.from({ length: 27 }, (_, i) => i + 1),
      );
      const votes = body.witnesses.map((w: { total_votes: number }) => w.total_votes);
      expect([...votes].sort((a, b) => b - a)).toEqual(votes);
      expect(body.witnesses.every((w: { is_active: boolean }) => w.is_active)).toBe(true);

      // Hand calculation for the top witness, from the devnet's own numbers.
      // Mainnet parameters on the devnet: 16 TRX per block to the producer, 160 TRX per block to
      // the top 127 by votes, a block every 3 s, maintenance every 6 h.
      expect(state.chain_parameters.getWitnessPayPerBlock).toBe(16_000_000);
      expect(state.chain_parameters.getWitness127PayPerBlock).toBe(160_000_000);
      expect(state.chain_parameters.getMaintenanceTimeInterval).toBe(21_600_000);
      const top = body.witnesses[0];
      const node = state.witnesses.find((w) => w.address === top.address)!;
      expect(top.total_votes).toBe(node.vote_count);
      expect(top.brokerage).toBe(node.brokerage);
      const allVotes = state.witnesses.reduce((s, w) => s + w.vote_count, 0); // all 27 are in the top 127
      const blocksPerCycle = 21_600_000 / 3_000; // 7,200 blocks between two maintenances
      const cyclesPerYear = (365 * 24) / 6; // 1,460 maintenances a year
      const producerPay = (blocksPerCycle / 27) * 16_000_000; // its share of produced blocks
      const standbyPay = (blocksPerCycle * 160_000_000 * node.vote_count) / allVotes;
      const toVoters = ((producerPay + standbyPay) * (100 - node.brokerage)) / 100;
      const aprPercent = ((toVoters * cyclesPerYear) / (node.vote_count * 1_000_000)) * 100;
      expect(top.estimated_voter_apr).toBeCloseTo(aprPercent, 3);
      expect(top.estimated_voter_apr).toBeGreaterThan(0);
      expect(body.parameters).toEqual({
        witness_pay_per_block_sun: 16_000_000,
        witness_127_pay_per_block_sun: 160_000_000,
        block_interval_ms: 3_000,
        maintenance_interval_ms: 21_600_000,
      });
    });

    it('sorts by apr or brokerage, limits, and serves the list from the cache the second time', async () => {
      const byApr = (await f.get(`${BASE}/witnesses?sort=apr&limit=5`)).json();
      expect(byApr.witnesses).toHaveLength(5);
      const aprs = byApr.witnesses.map(
        (w: { estimated_voter_apr: number }) => w.estimated_voter_apr,
      );
      expect([...aprs].sort((a, b) => b - a)).toEqual(aprs);
      expect(byApr.cached).toBe(true);
      const byBrokerage = (await f.get(`${BASE}/witnesses?sort=brokerage`)).json();
      const b = byBrokerage.witnesses.map((w: { brokerage: number }) => w.brokerage);
      expect([...b].sort((x, y) => x - y)).toEqual(b);
    });

    it.each([
      ['sort=nope', 'VALIDATION_FAILED'],
      ['limit=0', 'INVALID_PAGINATION'],
      ['limit=501', 'INVALID_PAGINATION'],
    ] as const)('refuses %s with 400 (%s)', async (query, name) => {
      const res = await f.get(`${BASE}/witnesses?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe(ErrorCode[name]);
    });
  });

  describe('POST /vote and /unvote', () => {
    it('a single-SR vote answers with the resulting set; the chain shows it once in a block', async () => {
      const res = await f.post(`${BASE}/vote`, {
        address,
        witness_address: sr[0],
        vote_count: 300,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        address,
        witness_address: sr[0],
        vote_count: 300,
        votes: [{ witness_address: sr[0], vote_count: 300 }],
        total_votes: 300,
        tron_power: 1000,
        status: 'broadcast',
      });
      expect(res.json().txid).toMatch(/^[0-9a-f]{64}$/);
      expect(res.json().vote_id).toBe(res.json().operation_id);
      await f.settle();
      expect(await chainVotes(address)).toEqual({ [sr[0]!]: 300 });
      const view = (await votesView(address)).json();
      expect(view).toMatchObject({ tron_power: 1000, used: 300, available: 700 });
      expect(view.votes).toEqual([{ witness_address: sr[0], vote_count: 300 }]);
      expect(view.voting_history).toHaveLength(1);
      expect(view.voting_history[0]).toMatchObject({
        kind: 'vote',
        operation_id: res.json().operation_id,
        txid: res.json().txid,
        votes: [{ witness_address: sr[0], vote_count: 300 }],
        previous_votes: [],
      });
      const op = (await f.get(`/api/v1/operations/${res.json().operation_id}`)).json();
      expect(op.state).toBe('confirmed');
    });

    it('a second single-SR vote is merged with the chain votes', async () => {
      const res = await f.post(`${BASE}/vote`, {
        address,
        witness_address: sr[1],
        vote_count: 200,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().total_votes).toBe(500);
      await f.settle();
      expect(await chainVotes(address)).toEqual({ [sr[0]!]: 300, [sr[1]!]: 200 });
    });

    it('replace: true makes the request the whole vote set; a multi-SR vote merges otherwise', async () => {
      const replaced = await f.post(`${BASE}/vote`, {
        address,
        votes: [{ witness_address: sr[2], vote_count: 100 }],
        replace: true,
      });
      expect(replaced.statusCode).toBe(201);
      await f.settle();
      expect(await chainVotes(address)).toEqual({ [sr[2]!]: 100 });
      const merged = await f.post(`${BASE}/vote`, {
        address,
        votes: [
          { witness_address: sr[0], vote_count: 50 },
          { witness_address: sr[2], vote_count: 150 },
        ],
      });
      expect(merged.statusCode).toBe(201);
      expect(merged.json().votes).toHaveLength(2);
      await f.settle();
      expect(await chainVotes(address)).toEqual({ [sr[0]!]: 50, [sr[2]!]: 150 });
      const view = (await votesView(address)).json();
      expect(view.voting_history.map((h: { kind: string }) => h.kind)).toEqual([
        'vote',
        'vote',
        'vote',
        'vote',
      ]);
      expect(view.voting_history[0].previous_votes).toEqual([
        { witness_address: sr[2], vote_count: 100 },
      ]);
    });

    it('the same Idempotency-Key and body answer the first operation and vote once', async () => {
      const key = `vote-${Date.now()}`;
      const body = { address, witness_address: sr[2], vote_count: 160 };
      const first = await f.post(`${BASE}/vote`, body, { 'idempotency-key': key });
      const again = await f.post(`${BASE}/vote`, body, { 'idempotency-key': key });
      expect(first.statusCode).toBe(201);
      expect(again.json().operation_id).toBe(first.json().operation_id);
      await f.settle();
      expect(await chainVotes(address)).toEqual({ [sr[0]!]: 50, [sr[2]!]: 160 });
      const view = (await votesView(address)).json();
      expect(
        view.voting_history.filter(
          (h: { operation_id?: string }) => h.operation_id === first.json().operation_id,
        ),
      ).toHaveLength(1);
    });

    describe('refusals before anything is built (chain unchanged)', () => {
      const before: Votes = {};
      beforeAll(async () => Object.assign(before, await chainVotes(address)));
      afterEach(async () => expect(await chainVotes(address)).toEqual(before));

      it('over TRON power → 422 S402 with power and total', async () => {
        const res = await f.post(`${BASE}/vote`, {
          address,
          witness_address: sr[3],
          vote_count: 900,
        });
        expect(res.statusCode).toBe(422);
        expect(res.json().error_code).toBe('S402');
        // Merged: 50 + 160 already, + 900.
        expect(res.json().details).toMatchObject({ tron_power: 1000, total_votes: 1110 });
      });

      it('an address that is no witness → 422 S403 naming it', async () => {
        const stranger = TronWeb.createRandom().address;
        const res = await f.post(`${BASE}/vote`, {
          address,
          votes: [
            { witness_address: sr[0], vote_count: 1 },
            { witness_address: stranger, vote_count: 1 },
          ],
        });
        expect(res.statusCode).toBe(422);
        expect(res.json().error_code).toBe('S403');
        expect(res.json().details.witness_address).toBe(stranger);
      });

      it('31 entries → 400 S404', async () => {
        const votes = Array.from({ length: 31 }, () => ({
          witness_address: TronWeb.createRandom().address,
          vote_count: 1,
        }));
        const res = await f.post(`${BASE}/vote`, { address, votes, replace: true });
        expect(res.statusCode).toBe(400);
        expect(res.json().error_code).toBe('S404');
        expect(res.json().details).toMatchObject({ entries: 31, max_witnesses: 30 });
      });

      it('the same witness twice → 422 S401 naming it', async () => {
        const res = await f.post(`${BASE}/vote`, {
          address,
          votes: [
            { witness_address: sr[0], vote_count: 1 },
            { witness_address: sr[0], vote_count: 2 },
          ],
        });
        expect(res.statusCode).toBe(422);
        expect(res.json().error_code).toBe('S401');
        expect(res.json().details.duplicate_witness).toBe(sr[0]);
      });

      it.each([
        [{ witness_address: 'sr0' }, 'S401'],
        [{ vote_count: 5 }, 'S401'],
        [{ witness_address: 'sr0', vote_count: 0 }, 'S108'],
        [{ witness_address: 'sr0', vote_count: 1.5 }, 'S108'],
        [
          {
            witness_address: 'sr0',
            vote_count: 1,
            votes: [{ witness_address: 'sr1', vote_count: 1 }],
          },
          'S401',
        ],
        [{ votes: [] }, 'S401'],
        [{ witness_address: 'not-an-address', vote_count: 1 }, 'S101'],
      ])('bad input %j → %s (400 malformed, 422 an inconsistent vote set)', async (input, code) => {
        const fill = (v: unknown) => (v === 'sr0' ? sr[0] : v === 'sr1' ? sr[1] : v);
        const body = JSON.parse(JSON.stringify({ address, ...input }), (_k, v: unknown) => fill(v));
        const res = await f.post(`${BASE}/vote`, body);
        expect(res.statusCode).toBe(code === 'S401' ? 422 : 400);
        expect(res.json().error_code).toBe(code);
      });

      it('unvote of a witness it does not vote for → 409 S407; of every vote → 409 S409', async () => {
        const notVoted = await f.post(`${BASE}/unvote`, { address, witness_address: sr[5] });
        expect(notVoted.statusCode).toBe(409);
        expect(notVoted.json().error_code).toBe('S407');
        const all = await f.post(`${BASE}/unvote`, { address });
        expect(all.statusCode).toBe(409);
        expect(all.json().error_code).toBe('S409');
      });

      it('a viewer may not vote (403)', async () => {
        const res = await f.t.inject({
          method: 'POST',
          url: `${BASE}/vote`,
          payload: { address, witness_address: sr[0], vote_count: 1 },
          headers: await loginAs(f.t, 'viewer'),
        });
        expect(res.statusCode).toBe(403);
      });
    });

    it('unvote of one witness re-votes the others', async () => {
      const res = await f.post(`${BASE}/unvote`, { address, witness_address: sr[0] });
      expect(res.statusCode).toBe(201);
      expect(res.json().votes).toEqual([{ witness_address: sr[2], vote_count: 160 }]);
      await f.settle();
      expect(await chainVotes(address)).toEqual({ [sr[2]!]: 160 });
      const history = (await votesView(address)).json().voting_history;
      expect(history[0]).toMatchObject({
        kind: 'unvote',
        votes: [{ witness_address: sr[2], vote_count: 160 }],
      });
      expect(
        (await f.post(`${BASE}/unvote`, { address, witness_address: sr[0] })).json().error_code,
      ).toBe('S407');
    });

    it('an unfreeze scales the votes down on chain; the view shows the chain and the history records it', async () => {
      await f.post(`${BASE}/vote`, {
        address,
        votes: [
          { witness_address: sr[0], vote_count: 600 },
          { witness_address: sr[2], vote_count: 400 },
        ],
        replace: true,
      });
      await f.settle();
      expect(await chainVotes(address)).toEqual({ [sr[0]!]: 600, [sr[2]!]: 400 });
      expect((await votesView(address)).json().available).toBe(0);
      // The freeze's holding period (1 day) must be over before it can be unfrozen.
      f.node.devnet.advance(DAY_S + 10);
      await f.runJobs();
      const unfreeze = await f.post(`${BASE}/unfreeze`, {
        address,
        resource: 'ENERGY',
        amount: 500,
      });
      expect(unfreeze.statusCode).toBe(201);
      await f.settle();
      // UnfreezeBalanceV2: each vote × 500 / 1000.
      expect(await chainVotes(address)).toEqual({ [sr[0]!]: 300, [sr[2]!]: 200 });
      const view = (await votesView(address)).json();
      expect(view).toMatchObject({ tron_power: 500, used: 500, available: 0 });
      expect(view.voting_history[0]).toMatchObject({
        kind: 'chain_scaled_down',
        previous_votes: [
          { witness_address: sr[0], vote_count: 600 },
          { witness_address: sr[2], vote_count: 400 },
        ],
      });
      expect(view.voting_history[0].votes).toHaveLength(2);
      expect(view.voting_history[0].operation_id).toBeUndefined();
      // Observed once: reading again records nothing new.
      const again = (await votesView(address)).json();
      expect(
        again.voting_history.filter((h: { kind: string }) => h.kind === 'chain_scaled_down'),
      ).toHaveLength(1);
    });
  });

  describe('a scale-down no one has looked at yet', () => {
    it('is recorded before the next vote', async () => {
      const unfreeze = await f.post(`${BASE}/unfreeze`, {
        address,
        resource: 'ENERGY',
        amount: 100,
      });
      expect(unfreeze.statusCode).toBe(201);
      await f.settle();
      // 500 → 400 TRX of power: 300 → 240, 200 → 160.
      expect(await chainVotes(address)).toEqual({ [sr[0]!]: 240, [sr[2]!]: 160 });
      const vote = await f.post(`${BASE}/vote`, {
        address,
        witness_address: sr[0],
        vote_count: 200,
      });
      expect(vote.statusCode).toBe(201);
      await f.settle();
      expect(await chainVotes(address)).toEqual({ [sr[0]!]: 200, [sr[2]!]: 160 });
      const history = (await votesView(address)).json().voting_history;
      expect(history.slice(0, 2)).toMatchObject([
        {
          kind: 'vote',
          previous_votes: [
            { witness_address: sr[0], vote_count: 240 },
            { witness_address: sr[2], vote_count: 160 },
          ],
        },
        { kind: 'chain_scaled_down' },
      ]);
    });
  });

  describe('node faults', () => {
    afterEach(() => f.node.control('/devnet/faults', undefined, 'DELETE'));

    it('a node error while checking a vote → S9xx, no operation, chain unchanged', async () => {
      const before = await chainVotes(address);
      const ops = (await f.get(`/api/v1/operations?address=${address}`)).json().total_count;
      await f.node.control('/devnet/faults', {
        path: '/wallet/listwitnesses',
        mode: 'error',
        status: 500,
        count: 1_000,
      });
      const res = await f.post(`${BASE}/vote`, { address, witness_address: sr[1], vote_count: 1 });
      expect(res.statusCode).toBe(502);
      expect(res.json().error_code).toBe('S906');
      await f.node.control('/devnet/faults', undefined, 'DELETE');
      await f.settle();
      expect(await chainVotes(address)).toEqual(before);
      expect((await f.get(`/api/v1/operations?address=${address}`)).json().total_count).toBe(ops);
    });

    it('a node error on the votes view → S9xx, not a 500', async () => {
      const stranger = TronWeb.createRandom().address;
      await f.node.control('/devnet/faults', {
        path: '/wallet/getaccount',
        mode: 'error',
        status: 503,
        count: 1_000,
      });
      const res = await votesView(stranger);
      expect(res.statusCode).toBe(502);
      expect(res.json().error_code).toBe('S906');
    });
  });

  describe('unsigned mode: the service never holds the key', () => {
    it('answers 202 with the unsigned vote; a tronweb signature is verified and broadcast', async () => {
      const external = TronWeb.createRandom();
      const key = external.privateKey.replace(/^0x/, '');
      await f.node.control('/devnet/faucet', { address: external.address, amount_sun: 300 * TRX });
      f.node.devnet.produceBlocks(1);
      const signer = new TronWeb({ fullHost: f.node.url, privateKey: key });
      const signAndSend = async (answer: { operation_id: string; transaction: unknown }) => {
        const signed = (await signer.trx.sign(answer.transaction as never)) as {
          signature: string[];
        };
        const res = await f.post(`/api/v1/operations/${answer.operation_id}/signature`, {
          signature: signed.signature,
        });
        expect(res.statusCode).toBe(200);
        await f.settle();
      };
      const stake = await f.post(`${BASE}/freeze`, {
        address: external.address,
        amount: 100,
        resource: 'BANDWIDTH',
        mode: 'unsigned',
      });
      expect(stake.statusCode).toBe(202);
      await signAndSend(stake.json());
      const vote = await f.post(`${BASE}/vote`, {
        address: external.address,
        witness_address: sr[4],
        vote_count: 80,
        mode: 'unsigned',
      });
      expect(vote.statusCode).toBe(202);
      expect(vote.json()).toMatchObject({ status: 'built', tron_power: 100, total_votes: 80 });
      expect(vote.json().transaction.txID).toMatch(/^[0-9a-f]{64}$/);
      expect(await chainVotes(external.address)).toEqual({});
      await signAndSend(vote.json());
      expect(await chainVotes(external.address)).toEqual({ [sr[4]!]: 80 });
      // Custodial mode without a key here → 422 S215.
      const custodial = await f.post(`${BASE}/vote`, {
        address: external.address,
        witness_address: sr[4],
        vote_count: 1,
      });
      expect(custodial.json().error_code).toBe('S215');
    });
  });

  describe('vote policy and its job', () => {
    let owner: string;
    const policyUrl = () => `${BASE}/accounts/${owner}/vote-policy`;
    const put = (body: unknown) =>
      f.t.inject({ method: 'PUT', url: policyUrl(), payload: body as never, headers: f.auth });

    beforeAll(async () => {
      owner = await f.managedAccount(5_000);
      await freeze(owner, 500);
    });

    it('refuses bad policies', async () => {
      expect((await put({ strategy: 'fixed', keep_fully_voted: true })).json().error_code).toBe(
        'S408',
      );
      expect(
        (await put({ strategy: 'best_apr', witnesses: [sr[0]], keep_fully_voted: true })).json()
          .error_code,
      ).toBe('S408');
      expect(
        (await put({ strategy: 'fixed', witnesses: [sr[0], sr[0]], keep_fully_voted: true })).json()
          .error_code,
      ).toBe('S408');
      const stranger = TronWeb.createRandom().address;
      const unknown = await put({
        strategy: 'fixed',
        witnesses: [stranger],
        keep_fully_voted: true,
      });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json()).toMatchObject({
        error_code: 'S403',
        details: { witness_address: stranger },
      });
      expect((await put({ strategy: 'greedy', keep_fully_voted: true })).json().error_code).toBe(
        'S408',
      );
      const unmanaged = await f.t.inject({
        method: 'PUT',
        url: `${BASE}/accounts/${TronWeb.createRandom().address}/vote-policy`,
        payload: { strategy: 'fixed', witnesses: [sr[0]], keep_fully_voted: true },
        headers: f.auth,
      });
      expect(unmanaged.json().error_code).toBe('S215');
      const missing = await f.get(policyUrl());
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error_code).toBe('S406');
    });

    it('PUT/GET a fixed policy; the job votes all TRON power; a second tick does nothing', async () => {
      const res = await put({
        strategy: 'fixed',
        witnesses: [sr[6], sr[7]],
        keep_fully_voted: true,
      });
      expect(res.statusCode).toBe(200);
      expect((await f.get(policyUrl())).json()).toMatchObject({
        address: owner,
        strategy: 'fixed',
        witnesses: [sr[6], sr[7]],
        keep_fully_voted: true,
      });
      const first = await tick();
      expect(first).toMatchObject({ revoted: 1, failed: 0 });
      await f.settle();
      expect(await chainVotes(owner)).toEqual({ [sr[6]!]: 250, [sr[7]!]: 250 });
      const opsBefore = (await f.get(`/api/v1/operations?address=${owner}`)).json();
      const second = await tick();
      expect(second).toMatchObject({ revoted: 0 });
      expect(await chainVotes(owner)).toEqual({ [sr[6]!]: 250, [sr[7]!]: 250 });
      const opsAfter = (await f.get(`/api/v1/operations?address=${owner}`)).json();
      expect(opsAfter.total_count).toBe(opsBefore.total_count);
      const policy = (await f.get(policyUrl())).json();
      expect(policy.last_operation_id).toMatch(/^[0-9a-f-]{36}$/);
      const history = (await votesView(owner)).json().voting_history;
      expect(history[0]).toMatchObject({
        kind: 'policy_revote',
        operation_id: policy.last_operation_id,
      });
    });

    it('freeze more → fully voted again', async () => {
      await freeze(owner, 300);
      expect((await tick()).revoted).toBe(1);
      await f.settle();
      expect(await chainVotes(owner)).toEqual({ [sr[6]!]: 400, [sr[7]!]: 400 });
      expect((await tick()).revoted).toBe(0);
    });

    it('unfreeze (the chain scales votes down) → re-voted to 100 % of what is left; cancel-unfreeze → re-voted', async () => {
      f.node.devnet.advance(DAY_S + 10);
      await f.runJobs();
      const unfreeze = await f.post(`${BASE}/unfreeze`, {
        address: owner,
        resource: 'ENERGY',
        amount: 201,
      });
      expect(unfreeze.statusCode).toBe(201);
      await f.settle();
      // 800 → 599 TRX of power: floor(400 × 599 / 800) = 299 each, one vote left unused.
      expect(await chainVotes(owner)).toEqual({ [sr[6]!]: 299, [sr[7]!]: 299 });
      expect((await tick()).revoted).toBe(1);
      await f.settle();
      expect(await chainVotes(owner)).toEqual({ [sr[6]!]: 300, [sr[7]!]: 299 });
      const kinds = (await votesView(owner))
        .json()
        .voting_history.map((h: { kind: string }) => h.kind);
      expect(kinds.slice(0, 2)).toEqual(['policy_revote', 'chain_scaled_down']);
      expect((await tick()).revoted).toBe(0);

      const cancel = await f.post(`${BASE}/cancel-unfreeze`, { address: owner });
      expect(cancel.statusCode).toBe(201);
      await f.settle();
      expect((await tick()).revoted).toBe(1);
      await f.settle();
      expect(await chainVotes(owner)).toEqual({ [sr[6]!]: 400, [sr[7]!]: 400 });
      expect((await tick()).revoted).toBe(0);
      expect(await chainVotes(owner)).toEqual({ [sr[6]!]: 400, [sr[7]!]: 400 });
    });

    it('best_apr puts all TRON power on the allowed witness with the highest estimated APR', async () => {
      const allowed = [sr[10]!, sr[11]!];
      expect(
        (await put({ strategy: 'best_apr', allowed, keep_fully_voted: true })).statusCode,
      ).toBe(200);
      const ranked = (await f.get(`${BASE}/witnesses?sort=apr&limit=30`)).json().witnesses as {
        address: string;
      }[];
      const best = ranked.find((w) => allowed.includes(w.address))!.address;
      expect((await tick()).revoted).toBe(1);
      await f.settle();
      expect(await chainVotes(owner)).toEqual({ [best]: 800 });
      expect((await tick()).revoted).toBe(0);
    });

    it('keep_fully_voted false keeps the policy but the job leaves the account; DELETE removes it', async () => {
      expect(
        (await put({ strategy: 'fixed', witnesses: [sr[8]], keep_fully_voted: false })).statusCode,
      ).toBe(200);
      expect((await tick()).policies).toBe(0);
      const del = await f.t.inject({ method: 'DELETE', url: policyUrl(), headers: f.auth });
      expect(del.statusCode).toBe(204);
      expect((await f.get(policyUrl())).json().error_code).toBe('S406');
      const again = await f.t.inject({ method: 'DELETE', url: policyUrl(), headers: f.auth });
      expect(again.statusCode).toBe(404);
      expect(again.json().error_code).toBe('S406');
    });
  });

  it('every vote is audited: the request and the operation it confirmed', async () => {
    const ops = (await f.get(`/api/v1/operations?address=${address}&limit=1000`)).json();
    const votes = ops.operations.filter((o: { kind: string }) => o.kind === 'vote');
    expect(votes.length).toBeGreaterThanOrEqual(6);
    const requests = (
      await f.get(
        `/api/v1/audit/logs?action=${encodeURIComponent('POST /api/v1/tron/staking/vote')}`,
      )
    ).json();
    expect(requests.total).toBeGreaterThanOrEqual(votes.length);
    const confirmed = (
      await f.get(`/api/v1/audit/logs?resource=${votes[0].operation_id}&action=operation.confirmed`)
    ).json();
    expect(confirmed.total).toBe(1);
  });
});
