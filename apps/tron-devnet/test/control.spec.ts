import { TronWeb } from 'tronweb';
import { startDevnet } from '../src/devnet.js';
import { bootDevnet, fundedAccount, type Kit, newKey, signAndSend, TRX } from './devnet-kit.js';

/** The /devnet control API: faucet, clock, blocks, faults, reset, state. */
describe('devnet control API', () => {
  let kit: Kit;
  let tw: TronWeb;
  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'control', solidityLagBlocks: 0 });
    tw = kit.tronWeb(kit.accounts[0].private_key);
  });
  afterAll(() => kit.close());

  it('funds and activates an address with the faucet', async () => {
    const k = newKey();
    const first = await kit.control('/devnet/faucet', { address: k.address, amount_sun: 7 * TRX });
    expect(first).toEqual({
      address: k.address,
      address_hex: k.hex,
      balance: 7 * TRX,
      created: true,
    });
    const second = await kit.control('/devnet/faucet', { address: k.hex, amount_sun: 3 });
    expect(second).toMatchObject({ balance: 7 * TRX + 3, created: false });
    expect(await tw.trx.getBalance(k.address)).toBe(7 * TRX + 3);
    const bad = await fetch(`${kit.url}/devnet/faucet`, {
      method: 'POST',
      body: JSON.stringify({ address: 'nope', amount_sun: 1 }),
    });
    expect(bad.status).toBe(400);
    const negative = await fetch(`${kit.url}/devnet/faucet`, {
      method: 'POST',
      body: JSON.stringify({ address: k.address, amount_sun: -1 }),
    });
    expect(negative.status).toBe(400);
  });

  it('produces blocks on demand and moves the clock with advance', async () => {
    const before = await tw.trx.getCurrentBlock();
    const n = before.block_header.raw_data.number;
    const t = before.block_header.raw_data.timestamp;
    await kit.blocks(5);
    const after = await tw.trx.getCurrentBlock();
    expect(after.block_header.raw_data.number).toBe(n + 5);
    expect(after.block_header.raw_data.timestamp).toBe(t + 5 * 3000);
    const adv = await kit.control<{ number: number; timestamp: number }>('/devnet/advance', {
      seconds: 86_400,
    });
    expect(adv).toMatchObject({ number: n + 6, timestamp: t + 5 * 3000 + 86_400_000 });
    const head = await tw.trx.getCurrentBlock();
    expect(head.block_header.raw_data.timestamp).toBe(adv.timestamp);
    // A transaction built on the new head is valid.
    const a = await fundedAccount(kit);
    expect(
      (await signAndSend(a.tw, a.tw.transactionBuilder.freezeBalanceV2(TRX, 'ENERGY', a.address)))
        .result,
    ).toBe(true);
  });

  it('injects 5xx answers for the next N calls of a path', async () => {
    await kit.control('/devnet/faults', { path: '/wallet/getnowblock', mode: 'error', count: 2 });
    await expect(tw.trx.getCurrentBlock()).rejects.toMatchObject({ response: { status: 503 } });
    await expect(tw.trx.getCurrentBlock()).rejects.toMatchObject({ response: { status: 503 } });
    expect((await tw.trx.getCurrentBlock()).blockID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('delays answers', async () => {
    await kit.control('/devnet/faults', {
      path: '/walletsolidity/getaccount',
      mode: 'delay',
      delay_ms: 300,
    });
    const start = Date.now();
    const acc = await tw.trx.getAccount(kit.accounts[0].address);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    expect(acc.address).toBe(kit.accounts[0].address_hex);
  });

  it('drops connections', async () => {
    await kit.control('/devnet/faults', {
      path: '/wallet/broadcasttransaction',
      mode: 'drop',
      count: 1,
    });
    const a = await fundedAccount(kit);
    await expect(
      signAndSend(a.tw, a.tw.transactionBuilder.freezeBalanceV2(TRX, 'ENERGY', a.address)),
    ).rejects.toThrow();
    // The dropped call never reached the chain, so the same transaction can be retried.
    const retry = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(TRX, 'ENERGY', a.address),
    );
    expect(retry.result).toBe(true);
  });

  it('fail_in_block: the next accepted broadcast lands in a block as FAILED and changes nothing', async () => {
    const a = await fundedAccount(kit);
    await kit.control('/devnet/faults', { mode: 'fail_in_block' });
    const sent = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(5 * TRX, 'ENERGY', a.address),
    );
    expect(sent.result).toBe(true);
    await kit.blocks(1);
    const info = await a.tw.trx.getUnconfirmedTransactionInfo(sent.txid);
    expect(info.result).toBe('FAILED');
    expect(Buffer.from(String(info.resMessage), 'hex').toString()).toMatch(/injected/);
    const account = await a.tw.trx.getAccount(a.address);
    expect(account.frozenV2?.find((f) => f.type === 'ENERGY')?.amount).toBeUndefined();
    // Consumed: the next one executes normally.
    const next = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(5 * TRX, 'ENERGY', a.address),
    );
    await kit.blocks(1);
    expect((await a.tw.trx.getUnconfirmedTransactionInfo(next.txid)).result).toBeUndefined();
  });

  it('lists and clears faults', async () => {
    await kit.control('/devnet/faults', { path: '/wallet/getnowblock', mode: 'error', count: 5 });
    const listed = await kit.control<{ faults: unknown[] }>('/devnet/faults', undefined, 'GET');
    expect(listed.faults).toHaveLength(1);
    await kit.control('/devnet/faults', undefined, 'DELETE');
    expect((await tw.trx.getCurrentBlock()).blockID).toBeDefined();
    const bad = await fetch(`${kit.url}/devnet/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/x', mode: 'explode' }),
    });
    expect(bad.status).toBe(400);
  });

  it('dumps the state with deterministic, usable genesis keys', async () => {
    const state = await kit.control<{
      genesis_accounts: Array<{ address: string; private_key: string; balance: number }>;
      witnesses: unknown[];
      head: { number: number };
    }>('/devnet/state', undefined, 'GET');
    expect(state.genesis_accounts.length).toBeGreaterThanOrEqual(3);
    for (const g of state.genesis_accounts)
      expect(TronWeb.address.fromPrivateKey(g.private_key)).toBe(g.address);
    expect(state.witnesses.length).toBeGreaterThanOrEqual(27);
    expect(state.head.number).toBeGreaterThanOrEqual(1);
  });

  it('consume spends energy (stake, then burned at getEnergyFee) and bandwidth like transactions', async () => {
    const a = await fundedAccount(kit, 1_000 * TRX);
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(100 * TRX, 'ENERGY', a.address),
    );
    await kit.blocks(1);
    const before = await a.tw.trx.getAccountResources(a.address);
    const limit = before.EnergyLimit!;
    expect(limit).toBeGreaterThan(0);
    const balance = await a.tw.trx.getBalance(a.address);
    const fee = (
      await kit.control<{ chain_parameters: Record<string, number> }>(
        '/devnet/state',
        undefined,
        'GET',
      )
    ).chain_parameters.getEnergyFee!;
    const spent = await kit.control<Record<string, number>>('/devnet/consume', {
      address: a.address,
      energy: limit + 10,
    });
    expect(spent).toMatchObject({
      energy_used: limit,
      energy_fee_sun: 10 * fee,
      energy_usage: limit,
      balance: balance - 10 * fee,
    });
    const after = await a.tw.trx.getAccountResources(a.address);
    expect(after.EnergyUsed).toBe(limit);
    // No staked bandwidth: the free daily bandwidth pays first.
    const net = await kit.control<Record<string, number>>('/devnet/consume', {
      address: a.address,
      bandwidth: 250,
    });
    expect(net).toMatchObject({
      bandwidth_used: 250,
      bandwidth_fee_sun: 0,
      free_net_usage: (after.freeNetUsed ?? 0) + 250,
    });
    // Half recovered after 12 h (linear over the 24 h window).
    await kit.control('/devnet/advance', { seconds: 12 * 3_600 });
    const later = await a.tw.trx.getAccountResources(a.address);
    expect(Math.abs(later.EnergyUsed! - limit / 2)).toBeLessThanOrEqual(1);
    for (const body of [
      { address: a.address },
      { address: newKey().address, energy: 1 },
      { address: a.address, energy: -5 },
    ]) {
      const bad = await fetch(`${kit.url}/devnet/consume`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      expect(bad.status).toBe(400);
    }
  });

  it('resets to genesis', async () => {
    const a = kit.accounts[2];
    const t = kit.tronWeb(a.private_key);
    await signAndSend(t, t.transactionBuilder.freezeBalanceV2(5 * TRX, 'ENERGY', a.address));
    await kit.blocks(1);
    expect(await t.trx.getBalance(a.address)).toBe(a.balance - 5 * TRX);
    const reset = await kit.control<{ number: number }>('/devnet/reset');
    expect(reset.number).toBe(1);
    expect(await t.trx.getBalance(a.address)).toBe(a.balance);
    expect((await t.trx.getCurrentBlock()).block_header.raw_data.number).toBe(1);
  });

  it('derives the same genesis from the same seed, another from another seed', async () => {
    const opts = { port: 0, blockIntervalMs: 0, quiet: true, genesisTimestamp: 1_700_000_000_000 };
    const d1 = await startDevnet({ ...opts, seed: 'same' });
    const d2 = await startDevnet({ ...opts, seed: 'same' });
    const d3 = await startDevnet({ ...opts, seed: 'other' });
    try {
      expect(d1.chain.head.blockID).toBe(d2.chain.head.blockID);
      expect(d1.chain.genesisAccounts).toEqual(d2.chain.genesisAccounts);
      expect(d3.chain.genesisAccounts[0].address).not.toBe(d1.chain.genesisAccounts[0].address);
    } finally {
      await Promise.all([d1.close(), d2.close(), d3.close()]);
    }
  });

  it('produces blocks by itself at the configured interval', async () => {
    const d = await startDevnet({ port: 0, blockIntervalMs: 50, quiet: true });
    try {
      await new Promise((r) => setTimeout(r, 400));
      expect(d.chain.head.number).toBeGreaterThanOrEqual(4);
    } finally {
      await d.close();
    }
  });
});
