import { TronWeb } from 'tronweb';
import {
  bootDevnet,
  fundedAccount,
  type Kit,
  newKey,
  rawTx,
  signAndSend,
  TRX,
} from './devnet-kit.js';

/** VoteWitness and WithdrawBalance rules, vote maintenance and the reward model. */
describe('vote and reward rules', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await bootDevnet({
      seed: 'vote-rules',
      solidityLagBlocks: 0,
      genesis: {
        witnesses: [
          { votes: 5_000_000, brokerage: 20 },
          { votes: 3_000_000, brokerage: 0 },
          { votes: 2_000_000, brokerage: 100, guard: true },
        ],
      },
    });
  });
  afterAll(() => kit.close());

  const fail = (text: string) => `Contract validate error : ${text}`;

  async function voter(tp = 100 * TRX) {
    const a = await fundedAccount(kit, 1000 * TRX);
    await signAndSend(a.tw, a.tw.transactionBuilder.freezeBalanceV2(tp, 'ENERGY', a.address));
    return a;
  }

  it('refuses an empty vote list', async () => {
    const a = await voter();
    const tx = await rawTx(a.tw, 'VoteWitnessContract', { owner_address: a.hex, votes: [] });
    expect((await signAndSend(a.tw, tx)).text).toBe(fail('VoteNumber must more than 0'));
  });

  it('refuses more than 30 votes', async () => {
    const a = await voter();
    const votes = Array.from({ length: 31 }, () => ({
      vote_address: kit.witnesses[0].address_hex,
      vote_count: 1,
    }));
    const tx = await rawTx(a.tw, 'VoteWitnessContract', { owner_address: a.hex, votes });
    expect((await signAndSend(a.tw, tx)).text).toBe(fail('VoteNumber more than maxVoteNumber 30'));
  });

  it('refuses a non-positive vote count', async () => {
    const a = await voter();
    const tx = await rawTx(a.tw, 'VoteWitnessContract', {
      owner_address: a.hex,
      votes: [{ vote_address: kit.witnesses[0].address_hex, vote_count: 0 }],
    });
    expect((await signAndSend(a.tw, tx)).text).toBe(fail('vote count must be greater than 0'));
  });

  it('refuses a target with no account', async () => {
    const a = await voter();
    const k = newKey();
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.vote({ [k.address]: 1 }, a.address),
    );
    expect(res.text).toBe(fail(`Account[${k.hex}] not exists`));
  });

  it('refuses a target that is not a witness', async () => {
    const a = await voter();
    const b = await fundedAccount(kit);
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.vote({ [b.address]: 1 }, a.address),
    );
    expect(res.text).toBe(fail(`Witness[${b.hex}] not exists`));
  });

  it('refuses votes above the TRON power', async () => {
    const a = await voter(100 * TRX);
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.vote({ [kit.witnesses[0].address]: 101 }, a.address),
    );
    expect(res.text).toBe(
      fail('The total number of votes[101000000] is greater than the tronPower[100000000]'),
    );
  });

  it('replaces the previous votes with a new vote', async () => {
    const a = await voter(100 * TRX);
    const [w0, w1] = kit.witnesses;
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.vote({ [w0.address]: 60, [w1.address]: 40 }, a.address),
    );
    await signAndSend(a.tw, a.tw.transactionBuilder.vote({ [w1.address]: 30 }, a.address));
    await kit.blocks(1);
    const acc = await a.tw.trx.getAccount(a.address);
    expect(acc.votes).toEqual([{ vote_address: w1.address_hex, vote_count: 30 }]);
  });

  it('tallies votes into witnesses only at maintenance (every 6 h)', async () => {
    const a = await voter(100 * TRX);
    const w = kit.witnesses[2];
    const count = async () =>
      (await a.tw.trx.listSuperRepresentatives()).find((x) => x.address === w.address_hex)
        ?.voteCount ?? 0;
    const before = await count();
    await signAndSend(a.tw, a.tw.transactionBuilder.vote({ [w.address]: 100 }, a.address));
    await kit.blocks(2);
    expect(await count()).toBe(before);
    await kit.advance(6 * 3600);
    expect(await count()).toBe(before + 100);
  });

  it('pays voters in proportion to their votes after brokerage', async () => {
    // Witness 1 keeps 0 %, so two voters with 100 and 300 votes earn in a 1:3 ratio.
    const w = kit.witnesses[1];
    const a = await voter(100 * TRX);
    const b = await voter(300 * TRX);
    await signAndSend(a.tw, a.tw.transactionBuilder.vote({ [w.address]: 100 }, a.address));
    await signAndSend(b.tw, b.tw.transactionBuilder.vote({ [w.address]: 300 }, b.address));
    await kit.advance(6 * 3600);
    const ra0 = await a.tw.trx.getReward(a.address);
    const rb0 = await b.tw.trx.getReward(b.address);
    await kit.blocks(30);
    const ra = (await a.tw.trx.getReward(a.address)) - ra0;
    const rb = (await b.tw.trx.getReward(b.address)) - rb0;
    expect(ra).toBeGreaterThan(0);
    expect(Math.abs(rb - 3 * ra)).toBeLessThanOrEqual(3);
    // A 100 % brokerage witness pays its voters nothing.
    expect(await a.tw.trx.getBrokerage(kit.witnesses[2].address)).toBe(100);
    expect(await a.tw.trx.getBrokerage(a.address)).toBe(20);
  });

  it('cuts votes in proportion when TRON power drops', async () => {
    const a = await voter(100 * TRX);
    const [w0, w1] = kit.witnesses;
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.vote({ [w0.address]: 60, [w1.address]: 40 }, a.address),
    );
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.unfreezeBalanceV2(50 * TRX, 'ENERGY', a.address),
    );
    await kit.blocks(1);
    const acc = await a.tw.trx.getAccount(a.address);
    expect(acc.votes).toEqual([
      { vote_address: w0.address_hex, vote_count: 30 },
      { vote_address: w1.address_hex, vote_count: 20 },
    ]);
  });

  it('refuses a claim with nothing to claim', async () => {
    const a = await voter();
    const res = await signAndSend(a.tw, a.tw.transactionBuilder.withdrawBlockRewards(a.address));
    expect(res.text).toBe(fail('witnessAccount does not have any reward'));
  });

  it('allows one claim per 24 h', async () => {
    const a = await voter(100 * TRX);
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.vote({ [kit.witnesses[0].address]: 100 }, a.address),
    );
    await kit.advance(6 * 3600);
    await kit.blocks(5);
    let res = await signAndSend(a.tw, a.tw.transactionBuilder.withdrawBlockRewards(a.address));
    expect(res.result).toBe(true);
    await kit.blocks(5);
    const { latest_withdraw_time: last } = await a.tw.trx.getAccount(a.address);
    res = await signAndSend(a.tw, a.tw.transactionBuilder.withdrawBlockRewards(a.address));
    expect(res.text).toBe(fail(`The last withdraw time is ${last}, less than 24 hours`));
    await kit.advance(86_400);
    res = await signAndSend(a.tw, a.tw.transactionBuilder.withdrawBlockRewards(a.address));
    expect(res.result).toBe(true);
  });

  it('refuses a claim by a genesis guard representative', async () => {
    const state = await kit.control<{
      witnesses: Array<{
        private_key: string;
        address: string;
        address_hex: string;
        guard: boolean;
      }>;
    }>('/devnet/state', undefined, 'GET');
    const guard = state.witnesses.find((w) => w.guard);
    expect(guard).toBeDefined();
    const tw = new TronWeb({ fullHost: kit.url, privateKey: guard?.private_key });
    const res = await signAndSend(tw, tw.transactionBuilder.withdrawBlockRewards(guard?.address));
    expect(res.text).toBe(
      fail(
        `Account[${guard?.address_hex}] is a guard representative and is not allowed to withdraw Balance`,
      ),
    );
  });

  it('lets a witness claim its brokerage share', async () => {
    const state = await kit.control<{ witnesses: Array<{ private_key: string; address: string }> }>(
      '/devnet/state',
      undefined,
      'GET',
    );
    const w = state.witnesses[0];
    const tw = new TronWeb({ fullHost: kit.url, privateKey: w.private_key });
    const reward = await tw.trx.getReward(w.address);
    expect(reward).toBeGreaterThan(0);
    const res = await signAndSend(tw, tw.transactionBuilder.withdrawBlockRewards(w.address));
    expect(res.result).toBe(true);
  });
});
