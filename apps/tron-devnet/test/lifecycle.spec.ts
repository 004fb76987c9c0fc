import { TronWeb } from 'tronweb';
import { bootDevnet, type Kit, newKey, signAndSend, TRX } from './devnet-kit.js';

type Account = Record<string, unknown> & {
  balance?: number;
  frozenV2?: Array<{ type?: string; amount?: number }>;
  unfrozenV2?: Array<{ type?: string; unfreeze_amount: number; unfreeze_expire_time: number }>;
  votes?: Array<{ vote_address: string; vote_count: number }>;
  allowance?: number;
  latest_withdraw_time?: number;
  delegated_frozenV2_balance_for_bandwidth?: number;
  account_resource?: Record<string, number>;
};

describe('Stake 2.0 lifecycle through tronweb', () => {
  let kit: Kit;
  let tw: TronWeb;
  let owner: string;
  const receiver = newKey();

  const account = async (addr = owner): Promise<Account> =>
    (await tw.trx.getAccount(addr)) as unknown as Account;
  const frozen = (a: Account, type?: string): number =>
    a.frozenV2?.find((f) => f.type === type)?.amount ?? 0;
  const confirm = async (txid: string): Promise<Record<string, unknown>> => {
    await kit.blocks(1);
    const info = (await tw.trx.getTransactionInfo(txid)) as unknown as Record<string, unknown>;
    expect(info.id).toBe(txid);
    expect(info.blockNumber).toBeGreaterThan(0);
    return info;
  };

  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'lifecycle', solidityLagBlocks: 0 });
    tw = kit.tronWeb(kit.accounts[0].private_key);
    owner = kit.accounts[0].address;
    await kit.control('/devnet/faucet', { address: receiver.address, amount_sun: 10 * TRX });
  });
  afterAll(() => kit.close());

  it('runs freeze → vote → delegate → rewards → claim → undelegate → unfreeze → withdraw', async () => {
    const start = await account();
    expect(start.balance).toBe(kit.accounts[0].balance);

    // Freeze 1 000 TRX for energy and 500 TRX for bandwidth.
    let res = await signAndSend(
      tw,
      tw.transactionBuilder.freezeBalanceV2(1000 * TRX, 'ENERGY', owner),
    );
    expect(res.result).toBe(true);
    const freezeInfo = await confirm(res.txid);
    res = await signAndSend(
      tw,
      tw.transactionBuilder.freezeBalanceV2(500 * TRX, 'BANDWIDTH', owner),
    );
    expect(res.result).toBe(true);
    await confirm(res.txid);
    let acc = await account();
    // The first two transactions fit in the 600 free bandwidth bytes: no TRX burned.
    expect(freezeInfo.fee).toBeUndefined();
    expect(acc.balance).toBe(kit.accounts[0].balance - 1500 * TRX);
    expect(frozen(acc)).toBe(500 * TRX);
    expect(frozen(acc, 'ENERGY')).toBe(1000 * TRX);
    let resources = await tw.trx.getAccountResources(owner);
    expect(resources.tronPowerLimit).toBe(1500);
    expect(resources.EnergyLimit).toBeGreaterThan(0);
    expect(resources.NetLimit).toBeGreaterThan(0);

    // Vote 1 000 TP for the first witness.
    const sr = kit.witnesses[0];
    res = await signAndSend(tw, tw.transactionBuilder.vote({ [sr.address]: 1000 }, owner));
    expect(res.result).toBe(true);
    await confirm(res.txid);
    acc = await account();
    expect(acc.votes).toEqual([{ vote_address: sr.address_hex, vote_count: 1000 }]);
    resources = await tw.trx.getAccountResources(owner);
    expect(resources.tronPowerUsed).toBe(1000);

    // Delegate 200 TRX of energy without lock and 100 TRX of bandwidth locked for 100 blocks.
    res = await signAndSend(
      tw,
      tw.transactionBuilder.delegateResource(200 * TRX, receiver.address, 'ENERGY', owner),
    );
    expect(res.result).toBe(true);
    res = await signAndSend(
      tw,
      tw.transactionBuilder.delegateResource(
        100 * TRX,
        receiver.address,
        'BANDWIDTH',
        owner,
        true,
        100,
      ),
    );
    expect(res.result).toBe(true);
    await confirm(res.txid);
    acc = await account();
    expect(frozen(acc, 'ENERGY')).toBe(800 * TRX);
    expect(frozen(acc)).toBe(400 * TRX);
    expect(acc.account_resource?.delegated_frozenV2_balance_for_energy).toBe(200 * TRX);
    expect(acc.delegated_frozenV2_balance_for_bandwidth).toBe(100 * TRX);
    resources = await tw.trx.getAccountResources(owner);
    expect(resources.tronPowerLimit).toBe(1500); // delegated stake keeps its TRON power
    const recv = await account(receiver.address);
    expect(recv.account_resource?.acquired_delegated_frozenV2_balance_for_energy).toBe(200 * TRX);
    expect(recv.acquired_delegated_frozenV2_balance_for_bandwidth).toBe(100 * TRX);
    const recvRes = await tw.trx.getAccountResources(receiver.address);
    expect(recvRes.EnergyLimit).toBeGreaterThan(0);
    const records = await tw.trx.getDelegatedResourceV2(owner, receiver.address);
    expect(records.delegatedResource).toHaveLength(2);
    const index = await tw.trx.getDelegatedResourceAccountIndexV2(owner);
    expect(index.toAccounts).toEqual([receiver.hex]);

    // The locked bandwidth cannot be taken back before its 100 blocks (300 s) are over.
    res = await signAndSend(
      tw,
      tw.transactionBuilder.undelegateResource(100 * TRX, receiver.address, 'BANDWIDTH', owner),
    );
    expect(res.code).toBe('CONTRACT_VALIDATE_ERROR');
    expect(res.text).toBe(
      'Contract validate error : insufficient delegatedFrozenBalance(BANDWIDTH), request=100000000, unlock_balance=0',
    );

    // Rewards: votes count from the next maintenance (6 h); then every block pays.
    expect(await tw.trx.getReward(owner)).toBe(0);
    await kit.advance(6 * 3600);
    const witnesses = await tw.trx.listSuperRepresentatives();
    const w = witnesses.find((x) => x.address === sr.address_hex);
    expect(w?.voteCount).toBe(sr.vote_count + 1000);
    await kit.blocks(20);
    const reward = await tw.trx.getReward(owner);
    expect(reward).toBeGreaterThan(0);

    // Claim: balance += reward, allowance back to 0, withdraw time set.
    const before = (await account()).balance ?? 0;
    res = await signAndSend(tw, tw.transactionBuilder.withdrawBlockRewards(owner));
    expect(res.result).toBe(true);
    const claimInfo = await confirm(res.txid);
    expect(claimInfo.withdraw_amount).toBe(reward);
    acc = await account();
    expect(acc.balance).toBe(before + reward);
    expect(acc.allowance).toBeUndefined();
    expect(acc.latest_withdraw_time).toBeGreaterThan(0);

    // Undelegate both; the bandwidth lock ended during the 6 h advance.
    res = await signAndSend(
      tw,
      tw.transactionBuilder.undelegateResource(200 * TRX, receiver.address, 'ENERGY', owner),
    );
    expect(res.result).toBe(true);
    res = await signAndSend(
      tw,
      tw.transactionBuilder.undelegateResource(100 * TRX, receiver.address, 'BANDWIDTH', owner),
    );
    expect(res.result).toBe(true);
    await confirm(res.txid);
    acc = await account();
    expect(frozen(acc, 'ENERGY')).toBe(1000 * TRX);
    expect(frozen(acc)).toBe(500 * TRX);
    expect(await tw.trx.getDelegatedResourceV2(owner, receiver.address)).toEqual({});

    // Unfreeze 500 energy: TP 1 000 still covers the votes. Then 300 bandwidth: votes shrink.
    res = await signAndSend(
      tw,
      tw.transactionBuilder.unfreezeBalanceV2(500 * TRX, 'ENERGY', owner),
    );
    expect(res.result).toBe(true);
    await confirm(res.txid);
    expect((await account()).votes?.[0].vote_count).toBe(1000);
    res = await signAndSend(
      tw,
      tw.transactionBuilder.unfreezeBalanceV2(300 * TRX, 'BANDWIDTH', owner),
    );
    expect(res.result).toBe(true);
    await confirm(res.txid);
    acc = await account();
    expect(acc.votes?.[0].vote_count).toBe(700);
    expect(acc.unfrozenV2).toHaveLength(2);
    const head = await tw.trx.getCurrentBlock();
    expect(acc.unfrozenV2?.[1]).toEqual({
      unfreeze_amount: 300 * TRX,
      unfreeze_expire_time: head.block_header.raw_data.timestamp - 3000 + 14 * 86_400_000,
    });
    expect((await tw.trx.getAccountResources(owner)).tronPowerLimit).toBe(700);

    // Too early to withdraw.
    res = await signAndSend(tw, tw.transactionBuilder.withdrawExpireUnfreeze(owner));
    expect(res.text).toBe('Contract validate error : no unFreeze balance to withdraw ');

    // 14 days later the 800 TRX come back.
    await kit.advance(14 * 86_400);
    const beforeWithdraw = (await account()).balance ?? 0;
    res = await signAndSend(tw, tw.transactionBuilder.withdrawExpireUnfreeze(owner));
    expect(res.result).toBe(true);
    const info = await confirm(res.txid);
    expect(info.withdraw_expire_amount).toBe(800 * TRX);
    acc = await account();
    expect(acc.balance).toBe(beforeWithdraw + 800 * TRX - Number(info.fee ?? 0));
    expect(acc.unfrozenV2).toBeUndefined();
  });
});
