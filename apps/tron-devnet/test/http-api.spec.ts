import { TronWeb, utils } from 'tronweb';
import { bootDevnet, fundedAccount, type Kit, newKey, signAndSend, TRX } from './devnet-kit.js';

type Json = Record<string, unknown>;

/** java-tron's HTTP shapes: field names, omitted zeros, `{}` for unknowns, error answers. */
describe('wallet HTTP API', () => {
  let kit: Kit;
  let tw: TronWeb;
  const req = (path: string, payload: Json = {}, method: 'post' | 'get' = 'post'): Promise<Json> =>
    tw.fullNode.request(path, payload, method) as Promise<Json>;

  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'http-api', solidityLagBlocks: 0 });
    tw = kit.tronWeb(kit.accounts[0].private_key);
  });
  afterAll(() => kit.close());

  it('answers {} for an unknown account, on /wallet and /walletsolidity', async () => {
    const k = newKey();
    expect(await tw.trx.getAccount(k.address)).toEqual({});
    expect(await tw.trx.getUnconfirmedAccount(k.address)).toEqual({});
    expect(await tw.trx.getAccountResources(k.address)).toEqual({});
    expect(await tw.trx.getBalance(k.address)).toBe(0);
  });

  it('prints an account like java-tron (hex by default, Base58 with visible=true)', async () => {
    const a = await fundedAccount(kit, 50 * TRX);
    const hexView = await req('wallet/getaccount', { address: a.hex });
    expect(hexView).toMatchObject({
      address: a.hex,
      balance: 50 * TRX,
      owner_permission: {
        permission_name: 'owner',
        threshold: 1,
        keys: [{ address: a.hex, weight: 1 }],
      },
      frozenV2: [{}, { type: 'ENERGY' }, { type: 'TRON_POWER' }],
      account_resource: {},
    });
    expect(hexView.create_time).toBeGreaterThan(0);
    expect(hexView).not.toHaveProperty('allowance');
    const visible = await req('wallet/getaccount', { address: a.address, visible: true });
    expect(visible.address).toBe(a.address);
    expect((visible.owner_permission as Json).keys).toEqual([{ address: a.address, weight: 1 }]);
    const viaGet = await req('wallet/getaccount', { address: a.address, visible: true }, 'get');
    expect(viaGet).toEqual(visible);
  });

  it('answers bad addresses with a JsonFormat error, never a crash', async () => {
    expect(await req('wallet/getaccount', { address: 'zz-not-hex' })).toEqual({
      Error: 'class org.tron.core.services.http.JsonFormat$ParseException : INVALID hex String',
    });
    const bad58 = await req('wallet/getaccount', { address: '41abcdef', visible: true });
    expect(String(bad58.Error)).toContain('INVALID base58 String');
    const broken = await fetch(`${kit.url}/wallet/getaccount`, {
      method: 'POST',
      body: '{"address":',
    });
    expect(broken.status).toBe(200);
    expect(Object.keys((await broken.json()) as Json)).toEqual(['Error']);
    expect(String((await req('wallet/getReward', { address: 'T-not-an-address' })).Error)).toMatch(
      /^INVALID address, /,
    );
    const badTx = await req('wallet/broadcasttransaction', { raw_data: { contract: 'x' } });
    expect(String(badTx.Error)).toContain('ParseException');
  });

  it('serves blocks: head ≥ 1, linked parent hashes, number-prefixed ids', async () => {
    await kit.blocks(2);
    const head = await tw.trx.getCurrentBlock();
    const n = head.block_header.raw_data.number;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(head.blockID.slice(0, 16)).toBe(n.toString(16).padStart(16, '0'));
    const parent = await tw.trx.getBlockByNumber(n - 1);
    expect(head.block_header.raw_data.parentHash).toBe(parent.blockID);
    expect(head.block_header.witness_signature).toMatch(/^[0-9a-f]{130}$/);
    const witnesses = (await tw.trx.listSuperRepresentatives()).map((w) => w.address);
    expect(witnesses).toContain(head.block_header.raw_data.witness_address);
    expect(await req('wallet/getblock', { id_or_num: String(n - 1), detail: false })).toEqual({
      blockID: parent.blockID,
      block_header: parent.block_header,
    });
    expect(await req('wallet/getblock', { id_or_num: parent.blockID })).toMatchObject({
      blockID: parent.blockID,
    });
    await expect(tw.trx.getBlockByNumber(n + 1000)).rejects.toThrow('Block not found');
    const solid = await req('walletsolidity/getnowblock');
    expect(solid.blockID).toBe(head.blockID);
  });

  it('lists chain parameters, omitting zero values', async () => {
    const params = await tw.trx.getChainParameters();
    expect(params).toContainEqual({ key: 'getUnfreezeDelayDays', value: 14 });
    expect(params).toContainEqual({ key: 'getMaxDelegateLockPeriod', value: 864000 });
    expect(params).toContainEqual({ key: 'getAllowNewResourceModel' });
    expect(params).toContainEqual({ key: 'getFreeNetLimit', value: 600 });
  });

  it('lists at least 27 witnesses with url, votes and brokerage', async () => {
    const list = await tw.trx.listSuperRepresentatives();
    expect(list.length).toBeGreaterThanOrEqual(27);
    for (const w of list) {
      expect(w.url).toMatch(/^https:\/\//);
      expect(w.voteCount).toBeGreaterThan(0);
      expect(typeof (await tw.trx.getBrokerage(w.address))).toBe('number');
    }
  });

  it('builds staking transactions at the node that tronweb accepts, signs and broadcasts', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    const tx = (await req('wallet/freezebalancev2', {
      owner_address: a.address,
      frozen_balance: 10 * TRX,
      resource: 'ENERGY',
      visible: true,
    })) as Json & { txID: string; raw_data: Json };
    expect(tx.visible).toBe(true);
    expect(utils.transaction.txCheck(tx)).toBe(true);
    const ref = await tw.trx.getCurrentRefBlockParams();
    expect(tx.raw_data.ref_block_hash).toBe(ref.ref_block_hash);
    expect(tx.raw_data.expiration).toBe(ref.expiration);
    expect((tx.raw_data.contract as Json[])[0]).toEqual({
      parameter: {
        value: { owner_address: a.address, frozen_balance: 10 * TRX, resource: 'ENERGY' },
        type_url: 'type.googleapis.com/protocol.FreezeBalanceV2Contract',
      },
      type: 'FreezeBalanceV2Contract',
    });
    const res = await signAndSend(a.tw, tx);
    expect(res).toMatchObject({ result: true, txid: tx.txID });

    const vote = (await req('wallet/votewitnessaccount', {
      owner_address: a.hex,
      votes: [{ vote_address: kit.witnesses[3].address_hex, vote_count: 10 }],
    })) as Json;
    expect(utils.transaction.txCheck(vote)).toBe(true);
    expect((await signAndSend(a.tw, vote)).result).toBe(true);
  });

  it('answers builder validation failures like java-tron', async () => {
    const a = await fundedAccount(kit);
    expect(
      await req('wallet/freezebalancev2', { owner_address: a.hex, frozen_balance: 0 }),
    ).toEqual({
      Error:
        'class org.tron.core.exception.ContractValidateException : frozenBalance must be positive',
    });
    const k = newKey();
    expect(await req('wallet/withdrawbalance', { owner_address: k.hex })).toEqual({
      Error: `class org.tron.core.exception.ContractValidateException : Account[${k.hex}] not exists`,
    });
    const unknownEnum = await req('wallet/freezebalancev2', {
      owner_address: a.hex,
      frozen_balance: TRX,
      resource: 'STORAGE',
    });
    expect(String(unknownEnum.Error)).toContain('has no value named "STORAGE"');
  });

  it('builds delegate, undelegate, unfreeze, cancel, withdraw, transfer and account creation', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    const b = await fundedAccount(kit);
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(20 * TRX, 'BANDWIDTH', a.address),
    );
    const steps: Array<[string, Json]> = [
      [
        'wallet/delegateresource',
        {
          owner_address: a.hex,
          receiver_address: b.hex,
          balance: 5 * TRX,
          lock: true,
          lock_period: 10,
        },
      ],
      ['wallet/unfreezebalancev2', { owner_address: a.hex, unfreeze_balance: 5 * TRX }],
      ['wallet/cancelallunfreezev2', { owner_address: a.hex }],
      ['wallet/createtransaction', { owner_address: a.hex, to_address: b.hex, amount: 7 }],
      ['wallet/createaccount', { owner_address: a.hex, account_address: newKey().hex }],
    ];
    for (const [path, body] of steps) {
      const tx = await req(path, body);
      expect(tx.Error).toBeUndefined();
      expect(utils.transaction.txCheck(tx)).toBe(true);
      const res = await signAndSend(a.tw, tx);
      expect(res.result).toBe(true);
    }
    await kit.advance(31);
    const undelegate = await req('wallet/undelegateresource', {
      owner_address: a.hex,
      receiver_address: b.hex,
      balance: 5 * TRX,
    });
    expect((await signAndSend(a.tw, undelegate)).result).toBe(true);
  });

  it('reports delegation sizes, unfreeze counts and withdrawable amounts', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    expect(await tw.trx.getCanDelegatedMaxSize(a.address, 'ENERGY')).toEqual({});
    expect(await tw.trx.getAvailableUnfreezeCount(a.address)).toEqual({ count: 32 });
    await signAndSend(a.tw, a.tw.transactionBuilder.freezeBalanceV2(30 * TRX, 'ENERGY', a.address));
    await signAndSend(
      a.tw,
      a.tw.transactionBuilder.unfreezeBalanceV2(10 * TRX, 'ENERGY', a.address),
    );
    await kit.blocks(1);
    expect(await tw.trx.getCanDelegatedMaxSize(a.address, 'ENERGY')).toEqual({
      max_size: 20 * TRX,
    });
    expect(await tw.trx.getAvailableUnfreezeCount(a.address)).toEqual({ count: 31 });
    expect(await req('wallet/getavailableunfreezecount', { ownerAddress: a.hex }, 'get')).toEqual({
      count: 31,
    });
    expect(await tw.trx.getCanWithdrawUnfreezeAmount(a.address, Date.now())).toEqual({});
    const later = Date.now() + 15 * 86_400_000;
    expect(await tw.trx.getCanWithdrawUnfreezeAmount(a.address, later)).toEqual({
      amount: 10 * TRX,
    });
    expect(await tw.trx.getReward(a.address)).toBe(0);
  });

  it('validates addresses', async () => {
    const a = newKey();
    expect(await req('wallet/validateaddress', { address: a.address })).toEqual({
      result: true,
      message: 'Base58check format',
    });
    expect(await req('wallet/validateaddress', { address: a.hex })).toEqual({
      result: true,
      message: 'Hex string format',
    });
    expect(await req('wallet/validateaddress', { address: 'abc' })).toEqual({
      result: false,
      message: 'Length error',
    });
  });

  it('answers getnodeinfo for tronweb version checks', async () => {
    const info = await tw.trx.getNodeInfo();
    expect(info.configNodeInfo.codeVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('int64_as_string (tronweb trx.raw)', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'raw-reads' });
  });
  afterAll(() => kit.close());

  it('prints int64 values as strings on GET with int64_as_string=true', async () => {
    const tw = kit.tronWeb(kit.accounts[0].private_key);
    const acc = await tw.trx.raw.getAccount(kit.accounts[0].address);
    expect(acc.balance).toBe(String(kit.accounts[0].balance));
    const block = await tw.trx.raw.getCurrentBlock();
    expect(typeof block.block_header.raw_data.timestamp).toBe('string');
    expect(block.block_header.raw_data.version).toBe(32);
  });
});

describe('confirmed and pending views', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await bootDevnet({ seed: 'views', solidityLagBlocks: 0 });
  });
  afterAll(() => kit.close());

  it('shows a pending transaction on /wallet at once and on /walletsolidity after its block', async () => {
    const a = await fundedAccount(kit, 100 * TRX);
    const res = await signAndSend(
      a.tw,
      a.tw.transactionBuilder.freezeBalanceV2(30 * TRX, 'ENERGY', a.address),
    );
    expect(res.result).toBe(true);
    expect(await a.tw.trx.getUnconfirmedBalance(a.address)).toBe(70 * TRX);
    expect(await a.tw.trx.getBalance(a.address)).toBe(100 * TRX);
    await kit.blocks(1);
    expect(await a.tw.trx.getBalance(a.address)).toBe(70 * TRX);
  });
});
