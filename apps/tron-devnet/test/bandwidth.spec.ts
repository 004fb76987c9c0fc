import { bootDevnet, fundedAccount, type Kit, newKey, signAndSend, TRX } from './devnet-kit.js';

/** Bandwidth: staked first, then 600 free bytes a day, then burning 1 000 SUN per byte. */
describe('bandwidth model', () => {
  let kit: Kit;
  let sink: string;
  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'bandwidth', solidityLagBlocks: 0 });
    sink = kit.accounts[1].address;
  });
  afterAll(() => kit.close());

  // Distinct amounts: identical transfers in one block would be the same transaction (dup).
  let nonce = 0;
  const transfer = async (a: Awaited<ReturnType<typeof fundedAccount>>, to = sink, amount = 0) =>
    signAndSend(a.tw, a.tw.transactionBuilder.sendTrx(to, amount || 1 + nonce++, a.address));

  it('uses free bandwidth first, then burns TRX for the bytes', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    nonce = 0;
    const r1 = await transfer(a);
    const r2 = await transfer(a);
    await kit.blocks(1);
    const i1 = await a.tw.trx.getTransactionInfo(r1.txid);
    const i2 = await a.tw.trx.getTransactionInfo(r2.txid);
    expect(i1.fee).toBeUndefined();
    expect(i2.fee).toBeUndefined();
    const used = (i1.receipt.net_usage ?? 0) + (i2.receipt.net_usage ?? 0);
    const res = await a.tw.trx.getAccountResources(a.address);
    expect(res.freeNetUsed).toBeGreaterThanOrEqual(used - 1);
    expect(res.freeNetUsed).toBeLessThanOrEqual(used);
    expect(res.freeNetLimit).toBe(600);

    const r3 = await transfer(a);
    await kit.blocks(1);
    const i3 = await a.tw.trx.getTransactionInfo(r3.txid);
    expect(i3.receipt.net_usage).toBeUndefined();
    expect(i3.receipt.net_fee).toBe(i1.receipt.net_usage! * 1000);
    expect(i3.fee).toBe(i3.receipt.net_fee);
    expect(await a.tw.trx.getBalance(a.address)).toBe(100 * TRX - (1 + 2 + 3) - i3.fee!);
  });

  it('refuses a transaction it cannot pay for (BANDWITH_ERROR)', async () => {
    const a = await fundedAccount(kit, 3);
    nonce = 0;
    expect((await transfer(a)).result).toBe(true);
    expect((await transfer(a)).result).toBe(true);
    const res = await transfer(a);
    expect(res.code).toBe('BANDWITH_ERROR');
    expect(res.text).toBe('Account resource insufficient error.');
  });

  it('recovers used bandwidth linearly over 24 h', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    await transfer(a);
    await transfer(a);
    await kit.blocks(1);
    const used = (await a.tw.trx.getAccountResources(a.address)).freeNetUsed ?? 0;
    expect(used).toBeGreaterThan(400);
    await kit.advance(12 * 3600);
    const half = (await a.tw.trx.getAccountResources(a.address)).freeNetUsed ?? 0;
    expect(Math.abs(half - used / 2)).toBeLessThanOrEqual(2);
    await kit.advance(12 * 3600);
    expect((await a.tw.trx.getAccountResources(a.address)).freeNetUsed).toBeUndefined();
  });

  it('spends staked bandwidth before the free allowance', async () => {
    const a = await fundedAccount(kit, 1000 * TRX);
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(100 * TRX, 'BANDWIDTH', a.address),
    );
    await kit.blocks(1);
    const before = await a.tw.trx.getAccountResources(a.address);
    const r = await transfer(a);
    await kit.blocks(1);
    const info = await a.tw.trx.getTransactionInfo(r.txid);
    const after = await a.tw.trx.getAccountResources(a.address);
    // One block later a 28 800th of the usage has already recovered.
    expect(after.NetUsed).toBeGreaterThanOrEqual(info.receipt.net_usage! - 1);
    expect(after.NetUsed).toBeLessThanOrEqual(info.receipt.net_usage!);
    // Free usage only decays (by at most a byte in one block); it did not pay for this one.
    expect(after.freeNetUsed).toBeLessThanOrEqual(before.freeNetUsed!);
    expect(after.freeNetUsed).toBeGreaterThanOrEqual(before.freeNetUsed! - 1);
    const acc = await a.tw.trx.getAccount(a.address);
    expect(acc.net_usage).toBe(after.NetUsed);
    expect(acc.latest_consume_time).toBe(info.blockTimeStamp - 3000);
  });

  it('charges 1 TRX plus the 0.1 TRX account fee to activate a new address', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    const fresh = newKey();
    const r = await transfer(a, fresh.address, 5 * TRX);
    expect(r.result).toBe(true);
    await kit.blocks(1);
    const info = await a.tw.trx.getTransactionInfo(r.txid);
    expect(info.fee).toBe(1_100_000);
    expect(info.receipt.net_fee).toBe(100_000);
    expect(await a.tw.trx.getBalance(fresh.address)).toBe(5 * TRX);
    expect(await a.tw.trx.getBalance(a.address)).toBe(95 * TRX - 1_100_000);

    const other = newKey();
    const c = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.createAccount(other.address, a.address),
    );
    expect(c.result).toBe(true);
    await kit.blocks(1);
    expect((await a.tw.trx.getAccount(other.address)).address).toBe(other.hex);
    expect((await a.tw.trx.getTransactionInfo(c.txid)).fee).toBe(1_100_000);
  });
});
