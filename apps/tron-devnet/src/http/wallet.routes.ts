import type { FastifyInstance } from 'fastify';
import { BANDWIDTH, ENERGY, UNFREEZE_MAX_TIMES } from '../chain/constants.js';
import { v2EnergyUsageSun, v2NetUsageSun } from '../chain/resources.js';
import { queryReward } from '../chain/rewards.js';
import { TRX_PRECISION } from '../chain/constants.js';
import type { DevnetRuntime } from '../runtime.js';
import { addressOut, base58ToHex, isValidAddressHex } from '../tx/address.js';
import {
  accountJson,
  accountResourceJson,
  blockJson,
  delegatedResourceJson,
  transactionInfoJson,
  transactionJson,
  witnessJson,
} from './format.js';
import { addressParam, boolParam, intParam, looseAddressParam, type Params } from './request.js';
import { both, full, route } from './route.js';

const GET_POST: Array<'GET' | 'POST'> = ['GET', 'POST'];

export function registerWalletRoutes(app: FastifyInstance, rt: DevnetRuntime): void {
  const accountOf = (p: Params, key: string) => {
    const hex = addressParam(p, key);
    return rt.chain.account(hex);
  };

  // /wallet answers from the pending state (like a full node), /walletsolidity from the last
  // block (the devnet solidifies each block immediately).
  const getAccount = (solid: boolean) => (p: Params) => {
    const hex = addressParam(p, 'address');
    const chain = rt.chain;
    const acc = solid ? chain.solidAccounts.get(hex) : chain.account(hex);
    if (!acc) return '{}';
    // Formatting dominates read cost: reuse the JSON until the account or the slot changes.
    const key = (solid ? 's' : 'f') + (p.visible ? 'v' : 'h') + hex;
    const slot = chain.headSlot();
    const hit = rt.accountCache.get(key);
    if (hit && hit.account === acc && hit.version === acc.version && hit.slot === slot)
      return hit.json;
    const json = JSON.stringify(accountJson(chain, acc, p.visible));
    rt.accountCache.set(key, { account: acc, version: acc.version, slot, json });
    return json;
  };
  route(app, full('getaccount'), GET_POST, getAccount(false));
  route(app, ['/walletsolidity/getaccount'], GET_POST, getAccount(true));

  route(app, full('getaccountresource'), GET_POST, (p) => {
    const acc = accountOf(p, 'address');
    return acc ? accountResourceJson(rt.chain, acc) : {};
  });

  route(app, both('getdelegatedresourcev2'), GET_POST, (p) => {
    const from = addressParam(p, 'fromAddress');
    const to = addressParam(p, 'toAddress');
    const records = [rt.chain.delegation(from, to, false), rt.chain.delegation(from, to, true)]
      .filter((d) => d !== undefined)
      .map((d) => delegatedResourceJson(d, p.visible));
    return records.length ? { delegatedResource: records } : {};
  });

  route(app, both('getdelegatedresourceaccountindexv2'), GET_POST, (p) => {
    const hex = addressParam(p, 'value');
    const toAccounts = [...(rt.chain.delegatedTo.get(hex)?.keys() ?? [])];
    const fromAccounts = [...(rt.chain.delegatedFrom.get(hex)?.keys() ?? [])];
    if (!toAccounts.length && !fromAccounts.length) return {};
    const o: Record<string, unknown> = { account: addressOut(hex, p.visible) };
    if (fromAccounts.length) o.fromAccounts = fromAccounts.map((a) => addressOut(a, p.visible));
    if (toAccounts.length) o.toAccounts = toAccounts.map((a) => addressOut(a, p.visible));
    return o;
  });

  route(app, both('getcandelegatedmaxsize'), GET_POST, (p) => {
    const acc = accountOf(p, 'owner_address');
    const type = intParam(p, 'type');
    if (!acc || (type !== BANDWIDTH && type !== ENERGY)) return {};
    const max =
      type === BANDWIDTH
        ? acc.frozen[BANDWIDTH] - v2NetUsageSun(rt.chain, acc)
        : acc.frozen[ENERGY] - v2EnergyUsageSun(rt.chain, acc);
    // Less than 1 TRX cannot be delegated, so it is reported as 0.
    return max >= TRX_PRECISION ? { max_size: max } : {};
  });

  route(app, both('getcanwithdrawunfreezeamount'), GET_POST, (p) => {
    const acc = accountOf(p, 'owner_address');
    const ts = intParam(p, 'timestamp') || rt.chain.now();
    if (!acc) return {};
    const amount = acc.unfrozen.filter((e) => e.expireTime <= ts).reduce((s, e) => s + e.amount, 0);
    return amount ? { amount } : {};
  });

  route(app, both('getavailableunfreezecount'), GET_POST, (p) => {
    const key = p.values.owner_address === undefined ? 'ownerAddress' : 'owner_address';
    const acc = accountOf(p, key);
    if (!acc) return {};
    const now = rt.chain.now();
    const count = UNFREEZE_MAX_TIMES - acc.unfrozen.filter((e) => e.expireTime > now).length;
    return count ? { count } : {};
  });

  route(app, both('getReward'), GET_POST, (p) => {
    const hex = looseAddressParam(p, 'address');
    const acc = hex ? rt.chain.account(hex) : undefined;
    return `{"reward": ${acc ? queryReward(rt.chain, acc) : 0}}`;
  });

  route(app, both('getBrokerage'), GET_POST, (p) => {
    const hex = looseAddressParam(p, 'address');
    return `{"brokerage": ${rt.chain.witnesses.get(hex)?.brokerage ?? 20}}`;
  });

  route(app, both('listwitnesses'), GET_POST, (p) => ({
    witnesses: [...rt.chain.witnesses.values()].map((w) => witnessJson(w, p.visible)),
  }));

  route(app, full('getnextmaintenancetime'), GET_POST, () => ({
    num: rt.chain.nextMaintenanceTime,
  }));

  route(app, both('getnowblock'), GET_POST, (p) => blockJson(rt.chain.head, p.visible));

  route(app, both('getblockbynum'), GET_POST, (p) => {
    const b = rt.chain.blockByNumber(intParam(p, 'num'));
    return b ? blockJson(b, p.visible) : {};
  });

  route(app, both('getblockbyid'), GET_POST, (p) => {
    const b = rt.chain.blocksById.get(String(p.values.value ?? '').toLowerCase());
    return b ? blockJson(b, p.visible) : {};
  });

  route(app, both('getblock'), GET_POST, (p) => {
    const id = String(p.values.id_or_num ?? '');
    const detail = boolParam(p, 'detail');
    const chain = rt.chain;
    const b =
      id === ''
        ? chain.head
        : /^\d+$/.test(id)
          ? chain.blockByNumber(Number(id))
          : chain.blocksById.get(id.toLowerCase());
    return b ? blockJson(b, p.visible, detail) : {};
  });

  route(app, full('getchainparameters'), GET_POST, () => ({
    chainParameter: [...rt.chain.params].map(([key, value]) => (value ? { key, value } : { key })),
  }));

  route(app, both('gettransactionbyid'), GET_POST, (p) => {
    const t = rt.chain.txs.get(String(p.values.value ?? '').toLowerCase());
    return t ? transactionJson(t, p.visible) : {};
  });

  route(app, both('gettransactioninfobyid'), GET_POST, (p) => {
    const t = rt.chain.txs.get(String(p.values.value ?? '').toLowerCase());
    return t ? transactionInfoJson(t) : {};
  });

  route(app, full('validateaddress'), GET_POST, (p) => validateAddress(p.values.address));

  route(app, full('getnodeinfo'), GET_POST, () => {
    const head = rt.chain.head;
    return {
      beginSyncNum: head.number,
      block: `Num:${head.number},ID:${head.blockID}`,
      solidityBlock: `Num:${head.number},ID:${head.blockID}`,
      currentConnectCount: 0,
      activeConnectCount: 0,
      passiveConnectCount: 0,
      totalFlow: 0,
      peerInfoList: [],
      configNodeInfo: { codeVersion: '4.8.0', versionNum: '19000', p2pVersion: 'tron-devnet' },
      machineInfo: { threadCount: 1, cpuCount: 1 },
      cheatWitnessInfoMap: {},
    };
  });
}

/** ValidateAddressServlet: by length, 42 hex, 34 Base58Check, 28 Base64. */
function validateAddress(input: unknown): { result: boolean; message: string } {
  if (typeof input !== 'string') return { result: false, message: 'Length error' };
  try {
    let hex: string;
    let message: string;
    if (input.length === 42) {
      if (!/^[0-9a-fA-F]+$/.test(input)) throw new Error('INVALID hex String');
      hex = input.toLowerCase();
      message = 'Hex string format';
    } else if (input.length === 34) {
      hex = base58ToHex(input);
      message = 'Base58check format';
    } else if (input.length === 28) {
      hex = Buffer.from(input, 'base64').toString('hex');
      message = 'Base64 format';
    } else return { result: false, message: 'Length error' };
    return isValidAddressHex(hex)
      ? { result: true, message }
      : { result: false, message: 'Invalid address' };
  } catch (e) {
    return { result: false, message: e instanceof Error ? e.message : 'Invalid address' };
  }
}
