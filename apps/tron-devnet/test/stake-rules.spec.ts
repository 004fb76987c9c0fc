import {
  bootDevnet,
  fundedAccount,
  type Kit,
  newKey,
  rawTx,
  signAndSend,
  TRX,
} from './devnet-kit.js';

/** One test per FreezeBalanceV2 / UnfreezeBalanceV2 / WithdrawExpireUnfreeze / CancelAllUnfreezeV2 rule. */
describe('stake rules', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'stake-rules', solidityLagBlocks: 0 });
  });
  afterAll(() => kit.close());

  const fail = (text: string) => `Contract validate error : ${text}`;

  describe('FreezeBalanceV2', () => {
    it('refuses a non-positive amount', async () => {
      const a = await fundedAccount(kit);
      const tx = await rawTx(a.tw, 'FreezeBalanceV2Contract', {
        owner_address: a.hex,
        frozen_balance: -5,
      });
      const res = await signAndSend(a.tw, tx);
      expect(res.code).toBe('CONTRACT_VALIDATE_ERROR');
      expect(res.text).toBe(fail('frozenBalance must be positive'));
    });

    it('refuses less than 1 TRX', async () => {
      const a = await fundedAccount(kit);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(999_999, 'ENERGY', a.address),
      );
      expect(res.text).toBe(fail('frozenBalance must be greater than or equal to 1 TRX'));
    });

    it('refuses more than the balance', async () => {
      const a = await fundedAccount(kit, 5 * TRX);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(6 * TRX, 'BANDWIDTH', a.address),
      );
      expect(res.text).toBe(fail('frozenBalance must be less than or equal to accountBalance'));
    });

    it('refuses TRON_POWER while the new resource model is off', async () => {
      const a = await fundedAccount(kit);
      const tx = await rawTx(a.tw, 'FreezeBalanceV2Contract', {
        owner_address: a.hex,
        frozen_balance: 2 * TRX,
        resource: 'TRON_POWER',
      });
      const res = await signAndSend(a.tw, tx);
      expect(res.text).toBe(fail('ResourceCode error, valid ResourceCode[BANDWIDTH、ENERGY]'));
    });

    it('refuses an owner that is not activated (bandwidth step, base58 address)', async () => {
      const k = newKey();
      const tw = kit.tronWeb(k.privateKey);
      const res = await signAndSend(
        tw,
        tw.transactionBuilder.freezeBalanceV2(2 * TRX, 'ENERGY', k.address),
      );
      expect(res.code).toBe('CONTRACT_VALIDATE_ERROR');
      expect(res.text).toBe(fail(`account [${k.address}] does not exist`));
    });

    it('moves the balance into frozenV2 and the network weight', async () => {
      const a = await fundedAccount(kit, 100 * TRX);
      const before = await a.tw.trx.getAccountResources(a.address);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(40 * TRX, 'ENERGY', a.address),
      );
      expect(res.result).toBe(true);
      await kit.blocks(1);
      const acc = await a.tw.trx.getAccount(a.address);
      expect(acc.balance).toBe(60 * TRX);
      expect(acc.frozenV2).toEqual([
        {},
        { type: 'ENERGY', amount: 40 * TRX },
        { type: 'TRON_POWER' },
      ]);
      const after = await a.tw.trx.getAccountResources(a.address);
      expect(after.TotalEnergyWeight).toBe((before.TotalEnergyWeight ?? 0) + 40);
      expect(after.EnergyLimit).toBe(
        Math.floor((40 * (after.TotalEnergyLimit ?? 0)) / (after.TotalEnergyWeight ?? 1)),
      );
    });
  });

  describe('UnfreezeBalanceV2', () => {
    it('refuses a resource with no stake', async () => {
      const a = await fundedAccount(kit);
      let res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(TRX, 'BANDWIDTH', a.address),
      );
      expect(res.text).toBe(fail('no frozenBalance(BANDWIDTH)'));
      res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(TRX, 'ENERGY', a.address),
      );
      expect(res.text).toBe(fail('no frozenBalance(Energy)'));
    });

    it('refuses more than the own stake; delegated stake must be undelegated first', async () => {
      const a = await fundedAccount(kit);
      const b = await fundedAccount(kit);
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(10 * TRX, 'ENERGY', a.address),
      );
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.delegateResource(4 * TRX, b.address, 'ENERGY', a.address),
      );
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(7 * TRX, 'ENERGY', a.address),
      );
      expect(res.text).toBe(fail('Invalid unfreeze_balance, [7000000] is error'));
      const ok = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(6 * TRX, 'ENERGY', a.address),
      );
      expect(ok.result).toBe(true);
    });

    it('allows at most 32 pending unfreezes', async () => {
      const a = await fundedAccount(kit);
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(1000 * TRX, 'BANDWIDTH', a.address),
      );
      for (let i = 0; i < 32; i++) {
        const res = await signAndSend(
          a.tw,
          a.tw.transactionBuilder.unfreezeBalanceV2(TRX + i, 'BANDWIDTH', a.address),
        );
        expect(res.result).toBe(true);
      }
      await kit.blocks(1);
      expect(await a.tw.trx.getAvailableUnfreezeCount(a.address)).toEqual({});
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(2 * TRX, 'BANDWIDTH', a.address),
      );
      expect(res.text).toBe(fail('Invalid unfreeze operation, unfreezing times is over limit'));
      // Matured entries no longer count.
      await kit.advance(14 * 86_400);
      expect(await a.tw.trx.getAvailableUnfreezeCount(a.address)).toEqual({ count: 32 });
    });

    it('sets the expiry from getUnfreezeDelayDays and sweeps matured entries', async () => {
      const a = await fundedAccount(kit, 100 * TRX);
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(50 * TRX, 'ENERGY', a.address),
      );
      const first = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(10 * TRX, 'ENERGY', a.address),
      );
      expect(first.result).toBe(true);
      await kit.blocks(1);
      const params = await a.tw.trx.getChainParameters();
      const delay = params.find((p) => p.key === 'getUnfreezeDelayDays')?.value;
      expect(delay).toBe(14);
      const info = await a.tw.trx.getTransactionInfo(first.txid);
      let acc = await a.tw.trx.getAccount(a.address);
      expect(acc.unfrozenV2).toEqual([
        {
          type: 'ENERGY',
          unfreeze_amount: 10 * TRX,
          unfreeze_expire_time: info.blockTimeStamp - 3000 + 14 * 86_400_000,
        },
      ]);
      expect(
        await a.tw.trx.getCanWithdrawUnfreezeAmount(
          a.address,
          info.blockTimeStamp + 14 * 86_400_000,
        ),
      ).toEqual({ amount: 10 * TRX });
      await kit.advance(14 * 86_400);
      const balance = acc.balance ?? 0;
      const second = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(5 * TRX, 'ENERGY', a.address),
      );
      expect(second.result).toBe(true);
      await kit.blocks(1);
      const secondInfo = await a.tw.trx.getTransactionInfo(second.txid);
      expect(secondInfo.withdraw_expire_amount).toBe(10 * TRX);
      acc = await a.tw.trx.getAccount(a.address);
      expect(acc.balance).toBe(balance + 10 * TRX - (secondInfo.fee ?? 0));
      expect(acc.unfrozenV2).toHaveLength(1);
    });
  });

  describe('WithdrawExpireUnfreeze', () => {
    it('refuses when nothing has matured', async () => {
      const a = await fundedAccount(kit);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.withdrawExpireUnfreeze(a.address),
      );
      expect(res.text).toBe(fail('no unFreeze balance to withdraw '));
    });
  });

  describe('CancelAllUnfreezeV2', () => {
    it('refuses an empty unfreeze list', async () => {
      const a = await fundedAccount(kit);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.cancelUnfreezeBalanceV2(a.address),
      );
      expect(res.text).toBe(fail('No unfreezeV2 list to cancel'));
    });

    it('re-stakes pending entries and withdraws matured ones', async () => {
      const a = await fundedAccount(kit, 100 * TRX);
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(50 * TRX, 'ENERGY', a.address),
      );
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(20 * TRX, 'BANDWIDTH', a.address),
      );
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(10 * TRX, 'ENERGY', a.address),
      );
      await kit.advance(14 * 86_400);
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(5 * TRX, 'BANDWIDTH', a.address),
      );
      await signAndSend(
        a.tw,
        a.tw.transactionBuilder.unfreezeBalanceV2(7 * TRX, 'ENERGY', a.address),
      );
      await kit.blocks(1);
      const before = await a.tw.trx.getAccount(a.address);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.cancelUnfreezeBalanceV2(a.address),
      );
      expect(res.result).toBe(true);
      await kit.blocks(1);
      const info = await a.tw.trx.getTransactionInfo(res.txid);
      // The matured 10 TRX were already swept into the balance by the 5 TRX unfreeze.
      expect(info.cancel_unfreezeV2_amount).toEqual([
        { key: 'BANDWIDTH', value: 5 * TRX },
        { key: 'ENERGY', value: 7 * TRX },
        { key: 'TRON_POWER', value: 0 },
      ]);
      const acc = await a.tw.trx.getAccount(a.address);
      expect(acc.unfrozenV2).toBeUndefined();
      expect(acc.frozenV2).toEqual([
        { amount: 20 * TRX },
        { type: 'ENERGY', amount: 40 * TRX },
        { type: 'TRON_POWER' },
      ]);
      expect(acc.balance).toBe((before.balance ?? 0) - (info.fee ?? 0));
    });
  });

  it('is off when getUnfreezeDelayDays is 0', async () => {
    const off = await bootDevnet({
      seed: 'stake-off',
      chainParameters: { getUnfreezeDelayDays: 0 },
    });
    try {
      const a = await fundedAccount(off);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(2 * TRX, 'ENERGY', a.address),
      );
      expect(res.text).toBe(
        fail('Not support FreezeV2 transaction, need to be opened by the committee'),
      );
    } finally {
      await off.close();
    }
  });
});
