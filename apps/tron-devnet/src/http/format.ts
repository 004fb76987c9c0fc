import { type Account, totalVotes, tronPower } from '../chain/account.js';
import { DEFAULT_ACTIVE_OPERATIONS, RESOURCE_NAMES, TRX_PRECISION } from '../chain/constants.js';
import { energyLimit, netLimit, usageView } from '../chain/resources.js';
import type { Block, DelegatedResource, StoredTx, Witness } from '../chain/types.js';
import type { StateView } from '../chain/view.js';
import { addressOut } from '../tx/address.js';
import { rawDataJson } from '../tx/codec.js';

/** Proto3 printing: zero/false/empty values are left out (java-tron JsonFormat). */
function put(
  o: Record<string, unknown>,
  k: string,
  v: number | boolean | string | undefined,
): void {
  if (v) o[k] = v;
}

const WINDOW_SIZE_V2 = 28_800_000;

/** Wallet.getAccount as printed by Util.printAccount; times of resource use are ms. */
export function accountJson(
  chain: StateView,
  a: Account,
  visible: boolean,
): Record<string, unknown> {
  const addr = (h: string): string => addressOut(h, visible);
  const usage = usageView(chain, a);
  const o: Record<string, unknown> = {};
  put(o, 'type', a.type === 2 ? 'Contract' : a.type === 1 ? 'AssetIssue' : undefined);
  o.address = addr(a.address);
  put(o, 'balance', a.balance);
  if (a.votes.length)
    o.votes = a.votes.map((v) => ({ vote_address: addr(v.address), vote_count: v.count }));
  put(o, 'net_usage', usage.netUsed);
  put(o, 'create_time', a.createTime);
  put(o, 'latest_opration_time', a.latestOperationTime);
  put(o, 'allowance', a.allowance);
  put(o, 'latest_withdraw_time', a.latestWithdrawTime);
  put(o, 'is_witness', a.isWitness);
  put(o, 'free_net_usage', usage.freeNetUsed);
  if (a.latestConsumeTime) o.latest_consume_time = chain.slotToTime(a.latestConsumeTime);
  if (a.latestConsumeFreeTime)
    o.latest_consume_free_time = chain.slotToTime(a.latestConsumeFreeTime);
  if (a.netWindowUsed) {
    o.net_window_size = WINDOW_SIZE_V2;
    o.net_window_optimized = true;
  }
  const res: Record<string, unknown> = {};
  put(res, 'energy_usage', usage.energyUsed);
  if (a.latestConsumeTimeForEnergy)
    res.latest_consume_time_for_energy = chain.slotToTime(a.latestConsumeTimeForEnergy);
  if (a.energyWindowUsed) res.energy_window_size = WINDOW_SIZE_V2;
  put(res, 'delegated_frozenV2_balance_for_energy', a.delegatedEnergy);
  put(res, 'acquired_delegated_frozenV2_balance_for_energy', a.acquiredEnergy);
  if (a.energyWindowUsed) res.energy_window_optimized = true;
  o.account_resource = res;
  const key = [{ address: addr(a.address), weight: 1 }];
  o.owner_permission = { permission_name: 'owner', threshold: 1, keys: key };
  if (a.isWitness)
    o.witness_permission = {
      type: 'Witness',
      id: 1,
      permission_name: 'witness',
      threshold: 1,
      keys: key,
    };
  o.active_permission = [
    {
      type: 'Active',
      id: 2,
      permission_name: 'active',
      threshold: 1,
      operations: DEFAULT_ACTIVE_OPERATIONS,
      keys: key,
    },
  ];
  o.frozenV2 = a.frozen.map((amount, type) => {
    const f: Record<string, unknown> = {};
    if (type) f.type = RESOURCE_NAMES[type];
    put(f, 'amount', amount);
    return f;
  });
  if (a.unfrozen.length)
    o.unfrozenV2 = a.unfrozen.map((e) => {
      const u: Record<string, unknown> = {};
      if (e.type) u.type = RESOURCE_NAMES[e.type];
      put(u, 'unfreeze_amount', e.amount);
      put(u, 'unfreeze_expire_time', e.expireTime);
      return u;
    });
  put(o, 'delegated_frozenV2_balance_for_bandwidth', a.delegatedBandwidth);
  put(o, 'acquired_delegated_frozenV2_balance_for_bandwidth', a.acquiredBandwidth);
  return o;
}

/** Wallet.getAccountResource. tronPower* are whole TRX. */
export function accountResourceJson(chain: StateView, a: Account): Record<string, unknown> {
  const usage = usageView(chain, a);
  const o: Record<string, unknown> = {};
  put(o, 'freeNetUsed', usage.freeNetUsed);
  put(o, 'freeNetLimit', chain.p('getFreeNetLimit'));
  put(o, 'NetUsed', usage.netUsed);
  put(o, 'NetLimit', netLimit(chain, a));
  put(o, 'TotalNetLimit', chain.p('getTotalNetLimit'));
  put(o, 'TotalNetWeight', chain.totalNetWeight);
  put(o, 'TotalTronPowerWeight', chain.totalTronPowerWeight);
  put(o, 'tronPowerUsed', totalVotes(a.votes));
  put(o, 'tronPowerLimit', Math.floor(tronPower(a) / TRX_PRECISION));
  put(o, 'EnergyUsed', usage.energyUsed);
  put(o, 'EnergyLimit', energyLimit(chain, a));
  put(o, 'TotalEnergyLimit', chain.p('getTotalEnergyCurrentLimit'));
  put(o, 'TotalEnergyWeight', chain.totalEnergyWeight);
  return o;
}

export function delegatedResourceJson(
  d: DelegatedResource,
  visible: boolean,
): Record<string, unknown> {
  const o: Record<string, unknown> = {
    from: addressOut(d.from, visible),
    to: addressOut(d.to, visible),
  };
  put(o, 'frozen_balance_for_bandwidth', d.bandwidth);
  put(o, 'frozen_balance_for_energy', d.energy);
  put(o, 'expire_time_for_bandwidth', d.expireBandwidth);
  put(o, 'expire_time_for_energy', d.expireEnergy);
  return o;
}

export function witnessJson(w: Witness, visible: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = { address: addressOut(w.address, visible) };
  put(o, 'voteCount', w.voteCount);
  put(o, 'url', w.url);
  put(o, 'totalProduced', w.totalProduced);
  put(o, 'totalMissed', w.totalMissed);
  put(o, 'latestBlockNum', w.latestBlockNum);
  put(o, 'latestSlotNum', w.latestSlotNum);
  put(o, 'isJobs', w.isJobs);
  return o;
}

/** Transaction as gettransactionbyid and blocks print it (ret, signature, txID, raw_data…). */
export function transactionJson(t: StoredTx, visible: boolean): Record<string, unknown> {
  const cached = visible ? t.jsonVisible : t.json;
  if (cached) return cached;
  const tx = t.tx;
  const ret: Record<string, unknown> = { contractRet: 'SUCCESS' };
  if (t.fee) ret.fee = t.fee;
  const o: Record<string, unknown> = { ret: [ret] };
  if (tx.signatures.length) o.signature = tx.signatures;
  o.txID = tx.txID;
  o.raw_data = tx.contract
    ? rawDataJson(
        {
          contract: tx.contract,
          permissionId: tx.permissionId,
          refBlockBytes: tx.refBlockBytes,
          refBlockHash: tx.refBlockHash,
          expiration: tx.expiration,
          timestamp: tx.timestamp,
          data: tx.data,
          feeLimit: tx.feeLimit,
        },
        visible,
      )
    : {};
  o.raw_data_hex = tx.rawDataHex;
  if (visible) t.jsonVisible = o;
  else t.json = o;
  return o;
}

export function transactionInfoJson(t: StoredTx): Record<string, unknown> {
  const o: Record<string, unknown> = { id: t.tx.txID };
  put(o, 'fee', t.fee);
  o.blockNumber = t.blockNumber;
  o.blockTimeStamp = t.blockTimestamp;
  o.contractResult = [''];
  if (t.failure) {
    o.result = 'FAILED';
    o.resMessage = Buffer.from(t.failure, 'utf8').toString('hex');
  }
  const receipt: Record<string, unknown> = {};
  put(receipt, 'net_usage', t.netUsage);
  put(receipt, 'net_fee', t.netFee);
  o.receipt = receipt;
  put(o, 'withdraw_amount', t.extras.withdrawAmount);
  put(o, 'withdraw_expire_amount', t.extras.withdrawExpireAmount);
  const c = t.extras.cancelUnfreezeV2Amount;
  if (c) o.cancel_unfreezeV2_amount = c.map((value, i) => ({ key: RESOURCE_NAMES[i], value }));
  return o;
}

export function blockJson(b: Block, visible: boolean, detail = true): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  put(raw, 'number', b.number);
  raw.txTrieRoot = b.txTrieRoot;
  put(raw, 'witness_address', b.witnessAddress);
  raw.parentHash = b.parentHash;
  raw.version = b.version;
  raw.timestamp = b.timestamp;
  const header: Record<string, unknown> = { raw_data: raw };
  put(header, 'witness_signature', b.witnessSignature);
  const o: Record<string, unknown> = { blockID: b.blockID, block_header: header };
  if (detail && b.transactions.length)
    o.transactions = b.transactions.map((t) => transactionJson(t, visible));
  return o;
}
