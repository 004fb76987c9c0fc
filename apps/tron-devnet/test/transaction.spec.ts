import { TronWeb } from 'tronweb';
import {
  bootDevnet,
  fundedAccount,
  type Kit,
  newKey,
  signAndSend,
  type SendResult,
  TRX,
} from './devnet-kit.js';

type Tx = Record<string, unknown> & {
  txID: string;
  raw_data: Record<string, unknown> & {
    contract: Array<{ parameter: { value: Record<string, unknown> } }>;
  };
  raw_data_hex: string;
  signature?: string[];
};

/** Broadcast-level checks: signature, TaPoS, expiry, duplicates, tampering, visibility. */
describe('transaction checks at broadcast', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'transactions', solidityLagBlocks: 0 });
  });
  afterAll(() => kit.close());

  const freeze = async (tw: TronWeb, owner: string, amount = 2 * TRX, options = {}) =>
    (await tw.transactionBuilder.freezeBalanceV2(
      amount,
      'ENERGY',
      owner,
      options,
    )) as unknown as Tx;
  const broadcast = async (tw: TronWeb, tx: unknown): Promise<SendResult> => {
    const res = (await tw.fullNode.request(
      'wallet/broadcasttransaction',
      tx as Record<string, unknown>,
      'post',
    )) as SendResult;
    res.text = res.message ? TronWeb.toUtf8(res.message) : '';
    return res;
  };

  it('accepts a correctly signed transaction and shows it only once it is in a block', async () => {
    const a = await fundedAccount(kit);
    const res = await signAndSend(a.tw, freeze(a.tw, a.address));
    expect(res).toMatchObject({ result: true, txid: res.transaction.txID });
    await expect(a.tw.trx.getTransaction(res.txid)).rejects.toThrow('Transaction not found');
    expect(await a.tw.trx.getTransactionInfo(res.txid)).toEqual({});
    await kit.blocks(1);
    const tx = await a.tw.trx.getTransaction(res.txid);
    expect(tx.ret).toEqual([{ contractRet: 'SUCCESS' }]);
    expect(tx.raw_data_hex).toBe((res.transaction as unknown as Tx).raw_data_hex);
    // java-tron prints bytes as lowercase hex; tronweb's own signature ends in an uppercase v.
    expect(tx.signature).toEqual(
      (res.transaction as unknown as Tx).signature?.map((s) => s.toLowerCase()),
    );
    const info = await a.tw.trx.getTransactionInfo(res.txid);
    const head = await a.tw.trx.getCurrentBlock();
    expect(info).toMatchObject({
      id: res.txid,
      blockNumber: head.block_header.raw_data.number,
      blockTimeStamp: head.block_header.raw_data.timestamp,
      contractResult: [''],
    });
    expect(info.receipt.net_usage).toBeGreaterThan(200);
    const block = await a.tw.trx.getBlockByNumber(info.blockNumber);
    expect(block.transactions?.map((t) => t.txID)).toContain(res.txid);
  });

  it('refuses a signature from a key that does not own the account (SIGERROR)', async () => {
    const a = await fundedAccount(kit);
    const intruder = newKey();
    const tx = await freeze(a.tw, a.address);
    const signed = (await a.tw.trx.sign(
      tx as never,
      intruder.privateKey,
      true,
      true,
    )) as unknown as Tx;
    const res = await broadcast(a.tw, signed);
    expect(res.code).toBe('SIGERROR');
    expect(res.text).toBe(
      `Validate signature error: ${signed.signature?.[0].toLowerCase()} is signed by ${intruder.address} but it is not contained of permission.`,
    );
  });

  it('refuses an unsigned transaction', async () => {
    const a = await fundedAccount(kit);
    const res = await broadcast(a.tw, await freeze(a.tw, a.address));
    expect(res.code).toBe('SIGERROR');
    expect(res.text).toBe('Validate signature error: miss sig or contract');
  });

  it('refuses more signatures than the permission has keys', async () => {
    const a = await fundedAccount(kit);
    const signed = (await a.tw.trx.sign((await freeze(a.tw, a.address)) as never)) as unknown as Tx;
    const twice = (await a.tw.trx.sign(
      signed as never,
      newKey().privateKey,
      true,
      true,
    )) as unknown as Tx;
    const res = await broadcast(a.tw, twice);
    expect(res.code).toBe('SIGERROR');
    expect(res.text).toBe(
      'Validate signature error: Signature count is 2 more than key counts of permission : 1',
    );
  });

  it('detects raw_data tampered with after signing', async () => {
    const a = await fundedAccount(kit);
    const signed = (await a.tw.trx.sign(
      (await freeze(a.tw, a.address, 2 * TRX)) as never,
    )) as unknown as Tx;
    signed.raw_data.contract[0].parameter.value.frozen_balance = 2000 * TRX;
    const res = await broadcast(a.tw, signed);
    expect(res.code).toBe('SIGERROR');
    expect(res.txid).not.toBe(signed.txID);
    await kit.blocks(1);
    expect((await a.tw.trx.getAccount(a.address)).frozenV2?.[1]).toEqual({ type: 'ENERGY' });
  });

  it('ignores txID and raw_data_hex sent by the client and re-encodes raw_data', async () => {
    const a = await fundedAccount(kit);
    const signed = (await a.tw.trx.sign((await freeze(a.tw, a.address)) as never)) as unknown as Tx;
    const realId = signed.txID;
    signed.txID = 'ff'.repeat(32);
    signed.raw_data_hex = '0a0b0c';
    const res = await broadcast(a.tw, signed);
    expect(res).toMatchObject({ result: true, txid: realId });
  });

  it('refuses a duplicate, pending or already in a block', async () => {
    const a = await fundedAccount(kit);
    const signed = await a.tw.trx.sign((await freeze(a.tw, a.address)) as never);
    expect((await broadcast(a.tw, signed)).result).toBe(true);
    let res = await broadcast(a.tw, signed);
    expect(res.code).toBe('DUP_TRANSACTION_ERROR');
    expect(res.text).toBe('Dup transaction.');
    await kit.blocks(1);
    res = await broadcast(a.tw, signed);
    expect(res.code).toBe('DUP_TRANSACTION_ERROR');
  });

  it('refuses an expired transaction', async () => {
    const a = await fundedAccount(kit);
    const signed = await a.tw.trx.sign((await freeze(a.tw, a.address)) as never);
    await kit.advance(61);
    const res = await broadcast(a.tw, signed);
    expect(res.code).toBe('TRANSACTION_EXPIRATION_ERROR');
    expect(res.text).toBe('Transaction expired');
  });

  it('refuses an expiration more than 24 h after the head block', async () => {
    const a = await fundedAccount(kit);
    const ref = await a.tw.trx.getCurrentRefBlockParams();
    const tx = await freeze(a.tw, a.address, 2 * TRX, {
      blockHeader: { ...ref, expiration: ref.timestamp + 86_400_000 + 3_001 },
    });
    const res = await broadcast(a.tw, await a.tw.trx.sign(tx as never));
    expect(res.code).toBe('TRANSACTION_EXPIRATION_ERROR');
  });

  it('refuses a reference block that is not in the chain (TaPoS)', async () => {
    const a = await fundedAccount(kit);
    const ref = await a.tw.trx.getCurrentRefBlockParams();
    const tx = await freeze(a.tw, a.address, 2 * TRX, {
      blockHeader: { ...ref, ref_block_hash: '0123456789abcdef' },
    });
    const res = await broadcast(a.tw, await a.tw.trx.sign(tx as never));
    expect(res.code).toBe('TAPOS_ERROR');
    expect(res.text).toBe('Tapos check error.');
  });

  it('accepts the active permission (id 2) and refuses unknown permissions', async () => {
    const a = await fundedAccount(kit);
    let res = await signAndSend(a.tw, freeze(a.tw, a.address, 2 * TRX, { permissionId: 2 }));
    expect(res.result).toBe(true);
    res = await signAndSend(a.tw, freeze(a.tw, a.address, 3 * TRX, { permissionId: 3 }));
    expect(res.code).toBe('SIGERROR');
    expect(res.text).toBe("Validate signature error: permission isn't exit");
  });

  it('broadcasts a hex-encoded signed transaction (broadcasthex)', async () => {
    const a = await fundedAccount(kit);
    const signed = (await a.tw.trx.sign((await freeze(a.tw, a.address)) as never)) as unknown as Tx;
    const raw = signed.raw_data_hex;
    const len = (n: number) =>
      n < 128
        ? n.toString(16).padStart(2, '0')
        : ((n & 0x7f) | 0x80).toString(16) + (n >> 7).toString(16).padStart(2, '0');
    const hex = '0a' + len(raw.length / 2) + raw + '1241' + (signed.signature?.[0] ?? '');
    const res = (await a.tw.trx.sendHexTransaction(hex)) as unknown as {
      result: boolean;
      txid: string;
      transaction: Tx;
    };
    expect(res.result).toBe(true);
    expect(res.txid).toBe(signed.txID);
    expect(res.transaction.raw_data.contract[0].parameter.value.owner_address).toBe(a.address);
  });
});
