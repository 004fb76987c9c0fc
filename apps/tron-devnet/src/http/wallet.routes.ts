import type { FastifyInstance } from 'fastify';
import { BANDWIDTH, ENERGY, UNFREEZE_MAX_TIMES } from '../chain/constants.js';
import { v2EnergyUsageSun, v2NetUsageSun } from '../chain/resources.js';
import { queryReward } from '../chain/rewards.js';
import { TRX_PRECISION } from '../chain/constants.js';
import type { StateView } from '../chain/view.js';
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
import { full, route, solidity } from './route.js';

const GET_POST: Array<'GET' | 'POST'> = ['GET', 'POST'];

export function registerWalletRoutes(app: FastifyInstance, rt: DevnetRuntime): void {
  /**
   * A servlet with a /walletsolidity twin: /wallet answers from the chain (head block plus
   * pending transactions, like a full node), /walletsolidity from its solidified state.
   */
  const twin = (name: string, handler: (view: StateView, p: Params) => unknown): void => {
    route(app, full(name), GET_POST, (p) => handler(rt.chain, p));
    route(app, solidity(name), GET_POST, (p) => handler(rt.chain.solid, p));
  };

  twin('getaccount', (view, p) => {
    const hex = addressParam(p, 'address');
    const acc = view.account(hex);
    if (!acc) return '{}';
    // Formatting dominates read cost: reuse the JSON until the account or the slot changes.
    const key = (view === rt.chain ? 'f' : 's') + (p.visible ? 'v' : 'h') + hex;
    const slot = view.headSlot();
    const hit = rt.accountCache.get(key);
    if (hit && hit.account === acc && hit.version === acc.version && hit.slot === slot)
      return hit.json;
    const json = JSON.stringify(accountJson(view, acc, p.visible));
    rt.accountCache.set(key, { account: acc, version: acc.version, slot, json });
    return json;
  });

  route(app, full('getaccountresource'), GET_POST, (p) => {
    const acc = rt.chain.account(addressParam(p, 'address'));
    return acc ? accountResourceJson(rt.chain, acc) : {};
  });

  twin('getdelegatedresourcev2', (view, p) => {
    const from = addressParam(p, 'fromAddress');
    const to = addressParam(p, 'toAddress');
    const records = [view.delegation(from, to, false), view.delegation(from, to, true)]
      .filter((d) => d !== undefined)
      .map((d) => delegatedResourceJson(d, p.visible));
    return records.length ? { delegatedResource: records } : {};
  });

  twin('getdelegatedresourceaccountindexv2', (view, p) => {
    const hex = addressParam(p, 'value');
    const toAccounts = [...(view.delegatedTo.get(hex)?.keys() ?? [])];
    const fromAccounts = [...(view.delegatedFrom.get(hex)?.keys() ?? [])];
    if (!toAccounts.length && !fromAccounts.length) return {};
    const o: Record<string, unknown> = { account: addressOut(hex, p.visible) };
    if (fromAccounts.length) o.fromAccounts = fromAccounts.map((a) => addressOut(a, p.visible));
    if (toAccounts.length) o.toAccounts = toAccounts.map((a) => addressOut(a, p.visible));
    return o;
  });

  twin('getcandelegatedmaxsize', (view, p) => {
    const acc = view.account(addressParam(p, 'owner_address'));
    const type = intParam(p, 'type');
    if (!acc || (type !== BANDWIDTH && type !== ENERGY)) return {};
    const max =
      type === BANDWIDTH
        ? acc.frozen[BANDWIDTH] - v2NetUsageSun(view, acc)
        : acc.frozen[ENERGY] - v2EnergyUsageSun(view, acc);
    // Less than 1 TRX cannot be delegated, so it is reported as 0.
    return max >= TRX_PRECISION ? { max_size: max } : {};
  });

  twin('getcanwithdrawunfreezeamount', (view, p) => {
    const acc = view.account(addressParam(p, 'owner_address'));
    const ts = intParam(p, 'timestamp') || view.now();
    if (!acc) return {};
    const amount = acc.unfrozen.filter((e) => e.expireTime <= ts).reduce((s, e) => s + e.amount, 0);
    return amount ? { amount } : {};
  });

  twin('getavailableunfreezecount', (view, p) => {
    const key = p.values.owner_address === undefined ? 'ownerAddress' : 'owner_address';
    const acc = view.account(addressParam(p, key));
    if (!acc) return {};
    const now = view.now();
    const count = UNFREEZE_MAX_TIMES - acc.unfrozen.filter((e) => e.expireTime > now).length;
    return count ? { count } : {};
  });

  twin('getReward', (view, p) => {
    const hex = looseAddressParam(p, 'address');
    const acc = hex ? view.account(hex) : undefined;
    return `{"reward": ${acc ? queryReward(view, acc) : 0}}`;
  });

  twin('getBrokerage', (view, p) => {
    const hex = looseAddressParam(p, 'address');
    return `{"brokerage": ${view.witnesses.get(hex)?.brokerage ?? 20}}`;
  });

  twin('listwitnesses', (view, p) => ({
    witnesses: [...view.witnesses.values()].map((w) => witnessJson(w, p.visible)),
  }));

  route(app, full('getnextmaintenancetime'), GET_POST, () => ({
    num: rt.chain.nextMaintenanceTime,
  }));

  // The solidity twins know blocks up to the solidified one only.
  twin('getnowblock', (view, p) => blockJson(view.head, p.visible));

  twin('getblockbynum', (view, p) => {
    const b = view.blockByNumber(intParam(p, 'num'));
    return b ? blockJson(b, p.visible) : {};
  });

  twin('getblockbyid', (view, p) => {
    const b = view.blockById(String(p.values.value ?? '').toLowerCase());
    return b ? blockJson(b, p.visible) : {};
  });

  twin('getblock', (view, p) => {
    const id = String(p.values.id_or_num ?? '');
    const detail = boolParam(p, 'detail');
    const b =
      id === ''
        ? view.head
        : /^\d+$/.test(id)
          ? view.blockByNumber(Number(id))
          : view.blockById(id.toLowerCase());
    return b ? blockJson(b, p.visible, detail) : {};
  });

  route(app, full('getchainparameters'), GET_POST, () => ({
    chainParameter: [...rt.chain.params].map(([key, value]) => (value ? { key, value } : { key })),
  }));

  // {} until the transaction is in a block (/wallet) or in a solidified block (/walletsolidity).
  twin('gettransactionbyid', (view, p) => {
    const t = view.transaction(String(p.values.value ?? '').toLowerCase());
    return t ? transactionJson(t, p.visible) : {};
  });

  twin('gettransactioninfobyid', (view, p) => {
    const t = view.transaction(String(p.values.value ?? '').toLowerCase());
    return t ? transactionInfoJson(t) : {};
  });

  route(app, full('validateaddress'), GET_POST, (p) => validateAddress(p.values.address));

  route(app, full('getnodeinfo'), GET_POST, () => {
    const head = rt.chain.head;
    const solid = rt.chain.solid.head;
    return {
      beginSyncNum: head.number,
      block: `Num:${head.number},ID:${head.blockID}`,
      solidityBlock: `Num:${solid.number},ID:${solid.blockID}`,
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
