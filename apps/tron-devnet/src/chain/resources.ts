import { type Account, allFrozenForBandwidth, allFrozenForEnergy } from './account.js';
import type { Chain } from './chain.js';
import { TRX_PRECISION, USAGE_PRECISION, WINDOW_SIZE_SLOTS } from './constants.js';
import { BroadcastError } from './errors.js';
import { hexToBase58 } from '../tx/address.js';
import type { StateView } from './view.js';

const P = BigInt(USAGE_PRECISION);
const W = BigInt(WINDOW_SIZE_SLOTS);

function divideCeil(n: bigint, d: bigint): bigint {
  return n / d + (n % d > 0n ? 1n : 0n);
}

/**
 * ResourceProcessor.increase: usage decays linearly over a 24 h window of 3 s slots, then the new
 * usage is added. The devnet keeps the fixed 28 800-slot window (no per-account window resizing).
 */
export function increase(lastUsage: number, usage: number, lastTime: number, now: number): number {
  let avgLast = divideCeil(BigInt(lastUsage) * P, W);
  const avgUsage = divideCeil(BigInt(usage) * P, W);
  if (lastTime !== now) {
    if (lastTime + WINDOW_SIZE_SLOTS > now) {
      const remaining = W - BigInt(now - lastTime);
      // Math.round(avgLast * remaining / W), half up like Java's Math.round.
      avgLast = (2n * avgLast * remaining + W) / (2n * W);
    } else {
      avgLast = 0n;
    }
  }
  avgLast += avgUsage;
  return Number((avgLast * W) / P);
}

export function recovered(lastUsage: number, lastTime: number, now: number): number {
  if (lastUsage === 0) return 0;
  return increase(lastUsage, 0, lastTime, now);
}

function share(frozen: number, totalLimit: number, totalWeight: number): number {
  if (totalWeight <= 0 || frozen <= 0) return 0;
  return Number(
    (BigInt(frozen) * BigInt(totalLimit)) / (BigInt(TRX_PRECISION) * BigInt(totalWeight)),
  );
}

/** BandwidthProcessor.calculateGlobalNetLimitV2: own + received stake share of TotalNetLimit. */
export function netLimit(chain: StateView, acc: Account): number {
  return share(allFrozenForBandwidth(acc), chain.p('getTotalNetLimit'), chain.totalNetWeight);
}

/** EnergyProcessor.calculateGlobalEnergyLimit against TotalEnergyCurrentLimit. */
export function energyLimit(chain: StateView, acc: Account): number {
  return share(
    allFrozenForEnergy(acc),
    chain.p('getTotalEnergyCurrentLimit'),
    chain.totalEnergyWeight,
  );
}

export interface UsageView {
  netUsed: number;
  freeNetUsed: number;
  energyUsed: number;
}

/** The usages as Wallet.getAccount/getAccountResource show them after updateUsage(now). */
export function usageView(chain: StateView, acc: Account): UsageView {
  const now = chain.headSlot();
  return {
    netUsed: recovered(acc.netUsage, acc.latestConsumeTime, now),
    freeNetUsed: recovered(acc.freeNetUsage, acc.latestConsumeFreeTime, now),
    energyUsed: recovered(acc.energyUsage, acc.latestConsumeTimeForEnergy, now),
  };
}

export interface BandwidthBill {
  netUsage: number;
  netFee: number;
}

/**
 * BandwidthProcessor.consume for one contract: staked bandwidth first, then the daily free
 * bandwidth, then burning getTransactionFee SUN per byte. A transaction that creates an account
 * pays getCreateAccountFee instead unless staked bandwidth covers it.
 */
export function consumeBandwidth(
  chain: Chain,
  acc: Account,
  bytes: number,
  createsAccount: boolean,
): BandwidthBill {
  const now = chain.headSlot();
  const nowMs = chain.now();
  const limit = netLimit(chain, acc);
  const netUsed = recovered(acc.netUsage, acc.latestConsumeTime, now);

  if (createsAccount) {
    const cost = bytes * chain.p('getCreateNewAccountBandwidthRate');
    if (cost <= limit - netUsed) {
      acc.netUsage = increase(netUsed, cost, now, now);
      acc.latestConsumeTime = now;
      acc.latestOperationTime = nowMs;
      acc.netWindowUsed = true;
      return { netUsage: cost, netFee: 0 };
    }
    const fee = chain.p('getCreateAccountFee');
    if (acc.balance >= fee) {
      acc.balance -= fee;
      acc.latestOperationTime = nowMs;
      chain.burnedSun += fee;
      return { netUsage: 0, netFee: fee };
    }
    throw insufficient(acc, bytes, fee);
  }

  if (bytes <= limit - netUsed) {
    acc.netUsage = increase(netUsed, bytes, now, now);
    acc.latestConsumeTime = now;
    acc.latestOperationTime = nowMs;
    acc.netWindowUsed = true;
    return { netUsage: bytes, netFee: 0 };
  }

  const freeLimit = chain.p('getFreeNetLimit');
  const freeUsed = recovered(acc.freeNetUsage, acc.latestConsumeFreeTime, now);
  if (bytes <= freeLimit - freeUsed) {
    acc.freeNetUsage = increase(freeUsed, bytes, now, now);
    acc.latestConsumeFreeTime = now;
    acc.latestOperationTime = nowMs;
    return { netUsage: bytes, netFee: 0 };
  }

  const fee = chain.p('getTransactionFee') * bytes;
  if (acc.balance >= fee) {
    acc.balance -= fee;
    acc.latestOperationTime = nowMs;
    chain.burnedSun += fee;
    return { netUsage: 0, netFee: fee };
  }
  throw insufficient(acc, bytes, fee);
}

function insufficient(acc: Account, bytes: number, fee: number): BroadcastError {
  // Wallet.broadcastTransaction answers every AccountResourceInsufficientException this way;
  // the detailed text below is what the node logs.
  const err = new BroadcastError('BANDWITH_ERROR', 'Account resource insufficient error.');
  err.cause = `account [${hexToBase58(acc.address)}] has insufficient bandwidth[${bytes}] and balance[${fee}]`;
  return err;
}

/** Usage (converted to SUN of stake) charged against V2 stake, for delegation checks. */
export function v2NetUsageSun(chain: StateView, acc: Account): number {
  const used = recovered(acc.netUsage, acc.latestConsumeTime, chain.headSlot());
  const total = chain.p('getTotalNetLimit');
  if (total <= 0) return 0;
  const usageSun = Number(
    (BigInt(used) * BigInt(TRX_PRECISION) * BigInt(chain.totalNetWeight)) / BigInt(total),
  );
  return Math.max(0, usageSun - acc.acquiredBandwidth);
}

export function v2EnergyUsageSun(chain: StateView, acc: Account): number {
  const used = recovered(acc.energyUsage, acc.latestConsumeTimeForEnergy, chain.headSlot());
  const total = chain.p('getTotalEnergyCurrentLimit');
  if (total <= 0) return 0;
  const usageSun = Number(
    (BigInt(used) * BigInt(TRX_PRECISION) * BigInt(chain.totalEnergyWeight)) / BigInt(total),
  );
  return Math.max(0, usageSun - acc.acquiredEnergy);
}

export interface EnergyBill {
  energyUsage: number;
  energyFee: number;
}

/**
 * ReceiptCapsule.payEnergyBill for a contract call that needs `energy`: the account's own and
 * received energy first (EnergyProcessor.useEnergy adds it to the decaying usage), the rest
 * burned at getEnergyFee SUN per unit from the balance. Throws when the balance cannot pay.
 */
export function consumeEnergy(chain: Chain, acc: Account, energy: number): EnergyBill {
  const now = chain.headSlot();
  const used = recovered(acc.energyUsage, acc.latestConsumeTimeForEnergy, now);
  const fromStake = Math.max(0, Math.min(energy, energyLimit(chain, acc) - used));
  const fee = (energy - fromStake) * chain.p('getEnergyFee');
  if (fee > acc.balance)
    throw new BroadcastError('CONTRACT_VALIDATE_ERROR', 'Not enough energy and balance.');
  if (fromStake > 0) {
    acc.energyUsage = increase(used, fromStake, now, now);
    acc.latestConsumeTimeForEnergy = now;
    acc.energyWindowUsed = true;
  }
  acc.balance -= fee;
  chain.burnedSun += fee;
  acc.latestOperationTime = chain.now();
  return { energyUsage: fromStake, energyFee: fee };
}
