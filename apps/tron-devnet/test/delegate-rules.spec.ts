import {
  bootDevnet,
  fundedAccount,
  type Kit,
  newKey,
  rawTx,
  signAndSend,
  TRX,
} from './devnet-kit.js';

/** One test per DelegateResource / UnDelegateResource rule, with java-tron's messages. */
describe('delegation rules', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'delegate-rules', solidityLagBlocks: 0 });
  });
  afterAll(() => kit.close());

  const fail = (text: string) => `Contract validate error : ${text}`;

  async function staker(energy = 100 * TRX, bandwidth = 100 * TRX) {
    const a = await fundedAccount(kit);
    await signAndSend(a.tw, a.tw.transactionBuilder.freezeBalanceV2(energy, 'ENERGY', a.address));
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(bandwidth, 'BANDWIDTH', a.address),
    );
    return a;
  }

  it('refuses less than 1 TRX', async () => {
    const a = await staker();
    const b = await fundedAccount(kit);
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(999_999, b.address, 'ENERGY', a.address),
    );
    expect(res.text).toBe(fail('delegateBalance must be greater than or equal to 1 TRX'));
  });

  it('refuses more than the available stake of the resource', async () => {
    const a = await staker(10 * TRX, 10 * TRX);
    const b = await fundedAccount(kit);
    let res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(11 * TRX, b.address, 'ENERGY', a.address),
    );
    expect(res.text).toBe(
      fail('delegateBalance must be less than or equal to available FreezeEnergyV2 balance'),
    );
    res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(11 * TRX, b.address, 'BANDWIDTH', a.address),
    );
    expect(res.text).toBe(
      fail('delegateBalance must be less than or equal to available FreezeBandwidthV2 balance'),
    );
  });

  it('subtracts the bandwidth in use from what can be delegated', async () => {
    const a = await staker(10 * TRX, 10 * TRX);
    const vote = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.vote({ [kit.witnesses[0].address]: 1 }, a.address),
    );
    expect(vote.result).toBe(true);
    await kit.blocks(1);
    // Staked bandwidth paid for the vote, so a little less than 10 TRX is free.
    const max = await a.tw.trx.getCanDelegatedMaxSize(a.address, 'BANDWIDTH');
    expect(max.max_size).toBeLessThan(10 * TRX);
    expect(max.max_size).toBeGreaterThan(9 * TRX);
    expect(await a.tw.trx.getCanDelegatedMaxSize(a.address, 'ENERGY')).toEqual({
      max_size: 10 * TRX,
    });
  });

  it('refuses to delegate to the owner itself', async () => {
    const a = await staker();
    const tx = await rawTx(a.tw, 'DelegateResourceContract', {
      owner_address: a.hex,
      receiver_address: a.hex,
      balance: 2 * TRX,
      resource: 'ENERGY',
    });
    const res = await signAndSend(a.tw, tx);
    expect(res.text).toBe(fail('receiverAddress must not be the same as ownerAddress'));
  });

  it('refuses a receiver that is not activated', async () => {
    const a = await staker();
    const k = newKey();
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(2 * TRX, k.address, 'ENERGY', a.address),
    );
    expect(res.text).toBe(fail(`Account[${k.hex}] not exists`));
  });

  it('refuses TRON_POWER', async () => {
    const a = await staker();
    const b = await fundedAccount(kit);
    const tx = await rawTx(a.tw, 'DelegateResourceContract', {
      owner_address: a.hex,
      receiver_address: b.hex,
      balance: 2 * TRX,
      resource: 'TRON_POWER',
    });
    const res = await signAndSend(a.tw, tx);
    expect(res.text).toBe(fail('ResourceCode error, valid ResourceCode[BANDWIDTH、ENERGY]'));
  });

  it('refuses a lock period above getMaxDelegateLockPeriod', async () => {
    const a = await staker();
    const b = await fundedAccount(kit);
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(
        2 * TRX,
        b.address,
        'ENERGY',
        a.address,
        true,
        864_001,
      ),
    );
    expect(res.text).toBe(
      fail('The lock period of delegate resource cannot be less than 0 and cannot exceed 864000!'),
    );
  });

  it('refuses a new lock that ends before the current one', async () => {
    const a = await staker();
    const b = await fundedAccount(kit);
    let res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(2 * TRX, b.address, 'ENERGY', a.address, true, 1000),
    );
    expect(res.result).toBe(true);
    await kit.blocks(1);
    res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(3 * TRX, b.address, 'ENERGY', a.address, true, 100),
    );
    expect(res.text).toBe(
      fail(
        'The lock period for ENERGY this time cannot be less than the remaining time[2997000ms] of the last lock period for ENERGY!',
      ),
    );
  });

  it('keeps locked and unlocked delegations as separate records; lock defaults to 3 days', async () => {
    const a = await staker();
    const b = await fundedAccount(kit);
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(5 * TRX, b.address, 'ENERGY', a.address),
    );
    const locked = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(7 * TRX, b.address, 'ENERGY', a.address, true),
    );
    await kit.blocks(1);
    const info = await a.tw.trx.getTransactionInfo(locked.txid);
    const head = info.blockTimeStamp - 3000; // executed against the previous head
    expect(await a.tw.trx.getDelegatedResourceV2(a.address, b.address)).toEqual({
      delegatedResource: [
        { from: a.hex, to: b.hex, frozen_balance_for_energy: 5 * TRX },
        {
          from: a.hex,
          to: b.hex,
          frozen_balance_for_energy: 7 * TRX,
          expire_time_for_energy: head + 3 * 86_400_000,
        },
      ],
    });
    expect(await a.tw.trx.getDelegatedResourceAccountIndexV2(b.address)).toEqual({
      account: b.hex,
      fromAccounts: [a.hex],
    });
  });

  it('refuses to undelegate without a delegation', async () => {
    const a = await staker();
    const b = await fundedAccount(kit);
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.undelegateResource(TRX, b.address, 'ENERGY', a.address),
    );
    expect(res.text).toBe(fail('delegated Resource does not exist'));
  });

  it('refuses to undelegate a non-positive amount', async () => {
    const a = await staker();
    const b = await fundedAccount(kit);
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(2 * TRX, b.address, 'ENERGY', a.address),
    );
    const tx = await rawTx(a.tw, 'UnDelegateResourceContract', {
      owner_address: a.hex,
      receiver_address: b.hex,
      balance: 0,
      resource: 'ENERGY',
    });
    const res = await signAndSend(a.tw, tx);
    expect(res.text).toBe(fail('unDelegateBalance must be more than 0 TRX'));
  });

  it('refuses to undelegate locked stake before the lock ends, then allows it', async () => {
    const a = await staker();
    const b = await fundedAccount(kit);
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(4 * TRX, b.address, 'ENERGY', a.address, true, 20),
    );
    let res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.undelegateResource(4 * TRX, b.address, 'ENERGY', a.address),
    );
    expect(res.text).toBe(
      fail('insufficient delegateFrozenBalance(Energy), request=4000000, unlock_balance=0'),
    );
    await kit.blocks(21); // 20 blocks × 3 s
    res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.undelegateResource(4 * TRX, b.address, 'ENERGY', a.address),
    );
    expect(res.result).toBe(true);
    await kit.blocks(1);
    const acc = await a.tw.trx.getAccount(a.address);
    expect(acc.account_resource?.delegated_frozenV2_balance_for_energy).toBeUndefined();
    expect(acc.frozenV2?.[1]).toEqual({ type: 'ENERGY', amount: 100 * TRX });
    expect(await a.tw.trx.getDelegatedResourceAccountIndexV2(a.address)).toEqual({});
    const recv = await a.tw.trx.getAccountResources(b.address);
    expect(recv.EnergyLimit).toBeUndefined();
  });

  it('gives the receiver resource limits computed from the network weights', async () => {
    const a = await staker(1000 * TRX, 1000 * TRX);
    const b = await fundedAccount(kit);
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(300 * TRX, b.address, 'ENERGY', a.address),
    );
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(200 * TRX, b.address, 'BANDWIDTH', a.address),
    );
    await kit.blocks(1);
    const r = await a.tw.trx.getAccountResources(b.address);
    expect(r.EnergyLimit).toBe(
      Math.floor((300 * (r.TotalEnergyLimit ?? 0)) / (r.TotalEnergyWeight ?? 1)),
    );
    expect(r.NetLimit).toBe(Math.floor((200 * (r.TotalNetLimit ?? 0)) / (r.TotalNetWeight ?? 1)));
    expect(r.tronPowerLimit).toBeUndefined(); // received stake gives no TRON power
  });
});
