import { startDevnet } from '../src/devnet.js';
import { bootDevnet, fundedAccount, type Kit, signAndSend, TRX } from './devnet-kit.js';

type Json = Record<string, unknown>;

interface State {
  head: { number: number; blockID: string };
  solidity_lag_blocks: number;
  solid_block_number: number;
  solid_block: { number: number; blockID: string; timestamp: number };
}

const state = (kit: Kit): Promise<State> => kit.control<State>('/devnet/state', undefined, 'GET');
/** Block number as printed: proto3 leaves block 0's number out. */
const numberOf = (block: Json): number =>
  ((block.block_header as Json).raw_data as { number?: number }).number ?? 0;

/** The solidified block lags the head (java-tron: 70 % of 27 producers built on it = head − 18). */
describe('solidity lag (default 18 blocks)', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'solidity' });
  });
  afterAll(() => kit.close());

  it('starts at genesis and then follows head − 18', async () => {
    let s = await state(kit);
    expect(s).toMatchObject({ solidity_lag_blocks: 18, solid_block_number: 0 });
    expect(s.head.number).toBe(1);
    expect(numberOf(await kit.wallet('/walletsolidity/getnowblock'))).toBe(0);
    await kit.blocks(30);
    s = await state(kit);
    expect(s.head.number).toBe(31);
    expect(s.solid_block_number).toBe(13);
    const solid = await kit.wallet('/walletsolidity/getnowblock');
    expect(numberOf(solid)).toBe(13);
    expect(solid.blockID).toBe(s.solid_block.blockID);
    expect(numberOf(await kit.wallet('/wallet/getnowblock'))).toBe(31);
    const tw = kit.tronWeb(kit.accounts[0].private_key);
    expect((await tw.trx.getConfirmedCurrentBlock()).block_header.raw_data.number).toBe(13);
    expect((await tw.trx.getCurrentBlock()).block_header.raw_data.number).toBe(31);
    const info = await kit.wallet<{ block: string; solidityBlock: string }>('/wallet/getnodeinfo');
    expect(info.block).toBe(`Num:31,ID:${s.head.blockID}`);
    expect(info.solidityBlock).toBe(`Num:13,ID:${solid.blockID as string}`);
  });

  it('knows no block above the solid one on /walletsolidity', async () => {
    await kit.blocks(20);
    const s = await state(kit);
    const head = s.head.number;
    const solidNum = s.solid_block_number;
    expect(solidNum).toBe(head - 18);
    const headBlock = await kit.wallet('/wallet/getblockbynum', { num: head });
    expect(numberOf(headBlock)).toBe(head);
    expect(await kit.wallet('/walletsolidity/getblockbynum', { num: head })).toEqual({});
    expect(await kit.wallet('/walletsolidity/getblockbynum', { num: solidNum + 1 })).toEqual({});
    expect(numberOf(await kit.wallet('/walletsolidity/getblockbynum', { num: solidNum }))).toBe(
      solidNum,
    );
    const id = headBlock.blockID as string;
    expect((await kit.wallet('/wallet/getblockbyid', { value: id })).blockID).toBe(id);
    expect(await kit.wallet('/walletsolidity/getblockbyid', { value: id })).toEqual({});
    expect(await kit.wallet('/walletsolidity/getblock', { id_or_num: String(head) })).toEqual({});
    expect(await kit.wallet('/walletsolidity/getblock', { id_or_num: id })).toEqual({});
    expect(numberOf(await kit.wallet('/walletsolidity/getblock', {}))).toBe(solidNum);
    expect(numberOf(await kit.wallet('/wallet/getblock', {}))).toBe(head);
  });

  it('shows a freeze on /wallet after one block and on /walletsolidity 18 blocks later', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    // Faucet credits are not transactions: the new account is solid at once.
    expect(await a.tw.trx.getBalance(a.address)).toBe(100 * TRX);
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(30 * TRX, 'ENERGY', a.address),
    );
    expect(res.result).toBe(true);
    await kit.blocks(1);
    const { head } = await state(kit);
    const byId = { value: res.txid };

    const unconfirmed = await a.tw.trx.getUnconfirmedTransactionInfo(res.txid);
    expect(unconfirmed).toMatchObject({ id: res.txid, blockNumber: head.number });
    expect((await kit.wallet('/wallet/gettransactionbyid', byId)).txID).toBe(res.txid);
    expect(await a.tw.trx.getTransactionInfo(res.txid)).toEqual({});
    expect(await kit.wallet('/walletsolidity/gettransactionbyid', byId)).toEqual({});
    await expect(a.tw.trx.getConfirmedTransaction(res.txid)).rejects.toThrow(
      'Transaction not found',
    );
    expect(await a.tw.trx.getUnconfirmedBalance(a.address)).toBe(70 * TRX);
    expect(await a.tw.trx.getBalance(a.address)).toBe(100 * TRX);
    expect((await a.tw.trx.getAccount(a.address)).frozenV2?.[1]).toEqual({ type: 'ENERGY' });

    await kit.blocks(17);
    expect(await a.tw.trx.getTransactionInfo(res.txid)).toEqual({});
    expect(await a.tw.trx.getBalance(a.address)).toBe(100 * TRX);

    await kit.blocks(1);
    expect((await state(kit)).solid_block_number).toBe(head.number);
    expect(await a.tw.trx.getTransactionInfo(res.txid)).toEqual(unconfirmed);
    expect((await a.tw.trx.getConfirmedTransaction(res.txid)).txID).toBe(res.txid);
    expect(await a.tw.trx.getBalance(a.address)).toBe(70 * TRX);
    expect((await a.tw.trx.getAccount(a.address)).frozenV2?.[1]).toEqual({
      type: 'ENERGY',
      amount: 30 * TRX,
    });
  });

  it('keeps a faucet credit made after a block when that block solidifies', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    await signAndSend(a.tw, a.tw.transactionBuilder.freezeBalanceV2(30 * TRX, 'ENERGY', a.address));
    await kit.blocks(1); // the snapshot of this block has the account at 70 TRX, no credit
    await kit.control('/devnet/faucet', { address: a.address, amount_sun: 5 * TRX });
    await signAndSend(a.tw, a.tw.transactionBuilder.freezeBalanceV2(10 * TRX, 'ENERGY', a.address));
    await kit.blocks(1); // this one has 65 TRX: the credit and the second freeze
    await kit.control('/devnet/faucet', { address: a.hex, amount_sun: 2 * TRX });
    // Both views show the credits at once, on top of what each view knows.
    expect(await a.tw.trx.getUnconfirmedBalance(a.address)).toBe(67 * TRX);
    expect(await a.tw.trx.getBalance(a.address)).toBe(107 * TRX);
    await kit.blocks(17);
    expect(await a.tw.trx.getBalance(a.address)).toBe(77 * TRX); // first block solid
    await kit.blocks(1);
    expect(await a.tw.trx.getBalance(a.address)).toBe(67 * TRX); // second block solid
    await kit.blocks(20);
    expect(await a.tw.trx.getBalance(a.address)).toBe(67 * TRX);
    expect(await a.tw.trx.getUnconfirmedBalance(a.address)).toBe(67 * TRX);
  });

  it('answers delegation, unfreeze and witness twins from the solid block', async () => {
    const a = await fundedAccount(kit, 1_000 * TRX);
    const b = await fundedAccount(kit);
    await signAndSend(a.tw, a.tw.transactionBuilder.freezeBalanceV2(50 * TRX, 'ENERGY', a.address));
    await kit.blocks(19); // the freeze's block and 18 on top: solid
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.delegateResource(20 * TRX, b.address, 'ENERGY', a.address),
    );
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.unfreezeBalanceV2(5 * TRX, 'ENERGY', a.address),
    );
    await kit.blocks(1);
    const pair = { fromAddress: a.hex, toAddress: b.hex };
    const record = {
      delegatedResource: [{ from: a.hex, to: b.hex, frozen_balance_for_energy: 20 * TRX }],
    };
    const index = { value: a.hex };
    const owner = { owner_address: a.hex, type: 1 };
    expect(await kit.wallet('/wallet/getdelegatedresourcev2', pair)).toEqual(record);
    expect(await kit.wallet('/walletsolidity/getdelegatedresourcev2', pair)).toEqual({});
    expect(await kit.wallet('/wallet/getdelegatedresourceaccountindexv2', index)).toEqual({
      account: a.hex,
      toAccounts: [b.hex],
    });
    expect(await kit.wallet('/walletsolidity/getdelegatedresourceaccountindexv2', index)).toEqual(
      {},
    );
    expect(await kit.wallet('/wallet/getcandelegatedmaxsize', owner)).toEqual({
      max_size: 25 * TRX,
    });
    expect(await kit.wallet('/walletsolidity/getcandelegatedmaxsize', owner)).toEqual({
      max_size: 50 * TRX,
    });
    expect(await kit.wallet('/wallet/getavailableunfreezecount', owner)).toEqual({ count: 31 });
    expect(await kit.wallet('/walletsolidity/getavailableunfreezecount', owner)).toEqual({
      count: 32,
    });

    await kit.blocks(18);
    expect(await kit.wallet('/walletsolidity/getdelegatedresourcev2', pair)).toEqual(record);
    expect(await kit.wallet('/walletsolidity/getdelegatedresourceaccountindexv2', index)).toEqual({
      account: a.hex,
      toAccounts: [b.hex],
    });
    expect(await kit.wallet('/walletsolidity/getcandelegatedmaxsize', owner)).toEqual({
      max_size: 25 * TRX,
    });
    expect(await kit.wallet('/walletsolidity/getavailableunfreezecount', owner)).toEqual({
      count: 31,
    });
    expect(
      await a.tw.trx.getDelegatedResourceAccountIndexV2(b.address, { confirmed: true }),
    ).toEqual({ account: b.hex, fromAccounts: [a.hex] });
  });

  it('lists witnesses and rewards as of the solid block', async () => {
    type Listed = { witnesses: Array<{ address: string; totalProduced?: number }> };
    const produced = (l: Listed) => l.witnesses.reduce((s, w) => s + (w.totalProduced ?? 0), 0);
    await kit.blocks(20);
    const { head, solid_block_number: solid } = await state(kit);
    // Every block after genesis was produced by one witness.
    expect(produced(await kit.wallet<Listed>('/wallet/listwitnesses'))).toBe(head.number);
    expect(produced(await kit.wallet<Listed>('/walletsolidity/listwitnesses'))).toBe(solid);
    const w = kit.witnesses[0].address_hex;
    const full = await kit.wallet<{ reward: number }>('/wallet/getReward', { address: w });
    const confirmed = await kit.wallet<{ reward: number }>('/walletsolidity/getReward', {
      address: w,
    });
    expect(full.reward).toBeGreaterThan(confirmed.reward);
    expect(confirmed.reward).toBeGreaterThan(0);
  });

  it('holds the snapshots of the last `lag` blocks only', async () => {
    await kit.blocks(100);
    expect(kit.devnet.chain.unsolidCount).toBe(18);
    expect(kit.devnet.chain.solidNumber).toBe(kit.devnet.chain.head.number - 18);
  });
});

describe('solidity lag 0 and changes', () => {
  it('with lag 0 solidifies every block at once', async () => {
    const kit = await bootDevnet({ seed: 'solidity-0', solidityLagBlocks: 0 });
    try {
      expect(await state(kit)).toMatchObject({ solidity_lag_blocks: 0, solid_block_number: 1 });
      const a = await fundedAccount(kit, 100 * TRX);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(30 * TRX, 'ENERGY', a.address),
      );
      expect(await a.tw.trx.getTransactionInfo(res.txid)).toEqual({});
      expect(await a.tw.trx.getBalance(a.address)).toBe(100 * TRX);
      await kit.blocks(1);
      const head = (await state(kit)).head;
      expect(await a.tw.trx.getTransactionInfo(res.txid)).toMatchObject({
        id: res.txid,
        blockNumber: head.number,
      });
      expect(await a.tw.trx.getBalance(a.address)).toBe(70 * TRX);
      expect((await kit.wallet('/walletsolidity/getnowblock')).blockID).toBe(head.blockID);
      expect(kit.devnet.chain.unsolidCount).toBe(0);
    } finally {
      await kit.close();
    }
  });

  it('keeps the configured lag over a reset', async () => {
    const kit = await bootDevnet({ seed: 'solidity-reset', solidityLagBlocks: 5 });
    try {
      await kit.blocks(10);
      expect((await state(kit)).solid_block_number).toBe(6);
      await kit.control('/devnet/reset');
      expect(await state(kit)).toMatchObject({ solidity_lag_blocks: 5, solid_block_number: 0 });
      await kit.blocks(10);
      expect((await state(kit)).solid_block_number).toBe(6);
      // A lag set at run time is kept too.
      await kit.control('/devnet/solidity', { lag_blocks: 2 });
      await kit.control('/devnet/reset');
      await kit.blocks(4);
      expect(await state(kit)).toMatchObject({ solidity_lag_blocks: 2, solid_block_number: 3 });
    } finally {
      await kit.close();
    }
  });

  it('changes the lag at run time with POST /devnet/solidity', async () => {
    const kit = await bootDevnet({ seed: 'solidity-set' });
    try {
      const a = await fundedAccount(kit, 100 * TRX);
      const res = await signAndSend(
        a.tw,
        a.tw.transactionBuilder.freezeBalanceV2(30 * TRX, 'ENERGY', a.address),
      );
      await kit.blocks(10);
      expect(await state(kit)).toMatchObject({ solid_block_number: 0, head: { number: 11 } });
      expect(await a.tw.trx.getTransactionInfo(res.txid)).toEqual({});
      // A smaller lag solidifies the queued blocks at once.
      expect(await kit.control('/devnet/solidity', { lag_blocks: 0 })).toMatchObject({
        solidity_lag_blocks: 0,
        solid_block_number: 11,
      });
      expect((await a.tw.trx.getTransactionInfo(res.txid)).id).toBe(res.txid);
      expect(await a.tw.trx.getBalance(a.address)).toBe(70 * TRX);
      // A larger one never moves back: the solid block waits until the head is far enough ahead.
      await kit.control('/devnet/solidity', { lag_blocks: '4' });
      expect((await state(kit)).solid_block_number).toBe(11);
      await kit.blocks(3);
      expect((await state(kit)).solid_block_number).toBe(11);
      await kit.blocks(2);
      expect((await state(kit)).solid_block_number).toBe(12);
      for (const body of [{}, { lag_blocks: -1 }, { lag_blocks: 1.5 }, { lag_blocks: 'x' }]) {
        const r = await fetch(`${kit.url}/devnet/solidity`, {
          method: 'POST',
          body: JSON.stringify(body),
        });
        expect(r.status).toBe(400);
      }
      const tooBig = await fetch(`${kit.url}/devnet/solidity`, {
        method: 'POST',
        body: JSON.stringify({ lag_blocks: 10_001 }),
      });
      expect(await tooBig.json()).toEqual({
        error: 'lag_blocks must be an integer from 0 to 10000',
      });
    } finally {
      await kit.close();
    }
  });

  it('refuses an invalid solidityLagBlocks option', async () => {
    await expect(startDevnet({ port: 0, quiet: true, solidityLagBlocks: -1 })).rejects.toThrow(
      'solidityLagBlocks must be an integer from 0 to 10000',
    );
  });
});
