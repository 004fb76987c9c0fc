import type { Contract } from '../../tx/contracts.js';
import { type Account, allFrozenForBandwidth, allFrozenForEnergy } from '../account.js';
import type { Chain } from '../chain.js';
import {
  BANDWIDTH,
  BLOCK_PRODUCED_INTERVAL,
  DELEGATE_PERIOD,
  ENERGY,
  TRX_PRECISION,
} from '../constants.js';
import { recovered, v2EnergyUsageSun, v2NetUsageSun } from '../resources.js';
import type { DelegatedResource } from '../types.js';
import { type Actuator, fail, ok, requireAccount, requireAddress } from './actuator.js';

type Of<T extends Contract['type']> = Extract<Contract, { type: T }>;

const DEFAULT_LOCK_BLOCKS = DELEGATE_PERIOD / BLOCK_PRODUCED_INTERVAL;

function supportsDelegation(chain: Chain): boolean {
  return chain.p('getAllowDelegateResource') !== 0;
}

/** supportMaxDelegateLockPeriod: lock_period is honoured once the maximum exceeds 3 days. */
function lockPeriodOf(chain: Chain, c: Of<'DelegateResourceContract'>): number {
  if (chain.p('getMaxDelegateLockPeriod') > DEFAULT_LOCK_BLOCKS)
    return c.lockPeriod === 0 ? DEFAULT_LOCK_BLOCKS : c.lockPeriod;
  return DEFAULT_LOCK_BLOCKS;
}

function emptyRecord(from: string, to: string): DelegatedResource {
  return { from, to, bandwidth: 0, energy: 0, expireBandwidth: 0, expireEnergy: 0 };
}

/** DelegatedResourceStore.unLockExpireResource: expired locked stake joins the unlocked record. */
function unlockExpired(chain: Chain, from: string, to: string, now: number): void {
  const locked = chain.delegation(from, to, true);
  if (!locked) return;
  if (locked.expireEnergy >= now && locked.expireBandwidth >= now) return;
  const unlocked = chain.delegation(from, to, false) ?? emptyRecord(from, to);
  if (locked.expireEnergy < now) {
    unlocked.energy += locked.energy;
    locked.energy = 0;
    locked.expireEnergy = 0;
  }
  if (locked.expireBandwidth < now) {
    unlocked.bandwidth += locked.bandwidth;
    locked.bandwidth = 0;
    locked.expireBandwidth = 0;
  }
  chain.putDelegation(locked, true);
  chain.putDelegation(unlocked, false);
}

export const delegateResource: Actuator<Of<'DelegateResourceContract'>> = {
  validate(chain, c) {
    if (!supportsDelegation(chain)) fail('No support for resource delegate');
    if (chain.p('getUnfreezeDelayDays') <= 0)
      fail('Not support Delegate resource transaction, need to be opened by the committee');
    requireAddress(c.owner);
    const owner = requireAccount(chain, c.owner);
    if (c.balance < TRX_PRECISION) fail('delegateBalance must be greater than or equal to 1 TRX');
    // Available = own V2 stake minus the part of current usage that it pays for.
    if (c.resource === BANDWIDTH) {
      if (owner.frozen[BANDWIDTH] - v2NetUsageSun(chain, owner) < c.balance)
        fail('delegateBalance must be less than or equal to available FreezeBandwidthV2 balance');
    } else if (c.resource === ENERGY) {
      if (owner.frozen[ENERGY] - v2EnergyUsageSun(chain, owner) < c.balance)
        fail('delegateBalance must be less than or equal to available FreezeEnergyV2 balance');
    } else {
      fail('ResourceCode error, valid ResourceCode[BANDWIDTH、ENERGY]');
    }
    requireAddress(c.receiver, 'Invalid receiverAddress');
    if (c.receiver === c.owner) fail('receiverAddress must not be the same as ownerAddress');
    const receiver = requireAccount(chain, c.receiver);
    if (c.lock) {
      const lockPeriod = lockPeriodOf(chain, c);
      const max = chain.p('getMaxDelegateLockPeriod');
      if (lockPeriod < 0 || lockPeriod > max)
        fail(
          `The lock period of delegate resource cannot be less than 0 and cannot exceed ${max}!`,
        );
      const locked = chain.delegation(c.owner, c.receiver, true);
      if (locked) {
        // A new lock may not end before the remaining time of the current one.
        const name = c.resource === BANDWIDTH ? 'BANDWIDTH' : 'ENERGY';
        const expire = c.resource === BANDWIDTH ? locked.expireBandwidth : locked.expireEnergy;
        const remain = expire - chain.now();
        if (lockPeriod * BLOCK_PRODUCED_INTERVAL < remain)
          fail(
            `The lock period for ${name} this time cannot be less than the remaining time[${remain}ms] of the last lock period for ${name}!`,
          );
      }
    }
    if (receiver.type === 2) fail('Do not allow delegate resources to contract addresses');
  },
  execute(chain, c) {
    const owner = chain.account(c.owner) as Account;
    const receiver = chain.account(c.receiver) as Account;
    const now = chain.now();
    unlockExpired(chain, c.owner, c.receiver, now);
    const expire = c.lock ? now + lockPeriodOf(chain, c) * BLOCK_PRODUCED_INTERVAL : 0;
    const rec = chain.delegation(c.owner, c.receiver, c.lock) ?? emptyRecord(c.owner, c.receiver);
    if (c.resource === BANDWIDTH) {
      rec.bandwidth += c.balance;
      rec.expireBandwidth = expire;
      receiver.acquiredBandwidth += c.balance;
      owner.delegatedBandwidth += c.balance;
    } else {
      rec.energy += c.balance;
      rec.expireEnergy = expire;
      receiver.acquiredEnergy += c.balance;
      owner.delegatedEnergy += c.balance;
    }
    // Delegated stake stays in the owner's weight and TRON power: no weight change.
    owner.frozen[c.resource] -= c.balance;
    chain.putDelegation(rec, c.lock);
    chain.indexDelegation(c.owner, c.receiver, now);
    chain.touch(receiver);
    return ok();
  },
};

export const unDelegateResource: Actuator<Of<'UnDelegateResourceContract'>> = {
  validate(chain, c) {
    if (!supportsDelegation(chain)) fail('No support for resource delegate');
    if (chain.p('getUnfreezeDelayDays') <= 0)
      fail('Not support unDelegate resource transaction, need to be opened by the committee');
    requireAddress(c.owner);
    requireAccount(chain, c.owner, true);
    requireAddress(c.receiver, 'Invalid receiverAddress');
    if (c.receiver === c.owner) fail('receiverAddress must not be the same as ownerAddress');
    const now = chain.now();
    const unlocked = chain.delegation(c.owner, c.receiver, false);
    const locked = chain.delegation(c.owner, c.receiver, true);
    if (!unlocked && !locked) fail('delegated Resource does not exist');
    if (c.balance <= 0) fail('unDelegateBalance must be more than 0 TRX');
    if (c.resource === BANDWIDTH) {
      let available = unlocked?.bandwidth ?? 0;
      if (locked && locked.expireBandwidth < now) available += locked.bandwidth;
      if (available < c.balance)
        fail(
          `insufficient delegatedFrozenBalance(BANDWIDTH), request=${c.balance}, unlock_balance=${available}`,
        );
    } else if (c.resource === ENERGY) {
      let available = unlocked?.energy ?? 0;
      if (locked && locked.expireEnergy < now) available += locked.energy;
      if (available < c.balance)
        fail(
          `insufficient delegateFrozenBalance(Energy), request=${c.balance}, unlock_balance=${available}`,
        );
    } else {
      fail('ResourceCode error.valid ResourceCode[BANDWIDTH、Energy]');
    }
  },
  execute(chain, c) {
    const owner = chain.account(c.owner) as Account;
    const receiver = chain.account(c.receiver);
    const slot = chain.headSlot();
    const bw = c.resource === BANDWIDTH;
    // The receiver's usage moves back to the owner in proportion to the stake taken back.
    let transferUsage = 0;
    if (receiver) {
      const usage = bw
        ? recovered(receiver.netUsage, receiver.latestConsumeTime, slot)
        : recovered(receiver.energyUsage, receiver.latestConsumeTimeForEnergy, slot);
      const acquired = bw ? receiver.acquiredBandwidth : receiver.acquiredEnergy;
      if (acquired < c.balance) {
        if (bw) receiver.acquiredBandwidth = 0;
        else receiver.acquiredEnergy = 0;
      } else {
        const totalLimit = bw ? chain.p('getTotalNetLimit') : chain.p('getTotalEnergyCurrentLimit');
        const totalWeight = bw ? chain.totalNetWeight : chain.totalEnergyWeight;
        const maxUsage =
          totalWeight > 0
            ? Number(
                (BigInt(c.balance) * BigInt(totalLimit)) /
                  (BigInt(TRX_PRECISION) * BigInt(totalWeight)),
              )
            : 0;
        const allFrozen = bw ? allFrozenForBandwidth(receiver) : allFrozenForEnergy(receiver);
        const share =
          allFrozen > 0 ? Number((BigInt(usage) * BigInt(c.balance)) / BigInt(allFrozen)) : 0;
        transferUsage = Math.min(maxUsage, share);
        if (bw) receiver.acquiredBandwidth -= c.balance;
        else receiver.acquiredEnergy -= c.balance;
      }
      if (bw) {
        receiver.netUsage = usage - transferUsage;
        receiver.latestConsumeTime = slot;
      } else {
        receiver.energyUsage = usage - transferUsage;
        receiver.latestConsumeTimeForEnergy = slot;
      }
      chain.touch(receiver);
    }

    unlockExpired(chain, c.owner, c.receiver, chain.now());
    const unlocked = chain.delegation(c.owner, c.receiver, false) as DelegatedResource;
    if (bw) {
      unlocked.bandwidth -= c.balance;
      owner.delegatedBandwidth -= c.balance;
      owner.frozen[BANDWIDTH] += c.balance;
      if (receiver && transferUsage > 0) {
        owner.netUsage = recovered(owner.netUsage, owner.latestConsumeTime, slot) + transferUsage;
        owner.latestConsumeTime = slot;
      }
    } else {
      unlocked.energy -= c.balance;
      owner.delegatedEnergy -= c.balance;
      owner.frozen[ENERGY] += c.balance;
      if (receiver && transferUsage > 0) {
        owner.energyUsage =
          recovered(owner.energyUsage, owner.latestConsumeTimeForEnergy, slot) + transferUsage;
        owner.latestConsumeTimeForEnergy = slot;
      }
    }
    chain.putDelegation(unlocked, false);
    if (
      !chain.delegation(c.owner, c.receiver, false) &&
      !chain.delegation(c.owner, c.receiver, true)
    ) {
      chain.unindexDelegation(c.owner, c.receiver);
    }
    return ok();
  },
};
