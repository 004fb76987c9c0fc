import type { Contract } from '../../tx/contracts.js';
import { type Account, totalVotes, tronPower } from '../account.js';
import type { Chain } from '../chain.js';
import {
  BANDWIDTH,
  ENERGY,
  FROZEN_PERIOD,
  TRON_POWER,
  TRX_PRECISION,
  UNFREEZE_MAX_TIMES,
} from '../constants.js';
import { withdrawReward } from '../rewards.js';
import {
  type Actuator,
  adjustFrozen,
  fail,
  ok,
  requireAccount,
  requireAddress,
  supportsUnfreezeDelay,
} from './actuator.js';

type Of<T extends Contract['type']> = Extract<Contract, { type: T }>;

const RESOURCE_ERROR = 'ResourceCode error, valid ResourceCode[BANDWIDTH、ENERGY]';

export const freezeBalanceV2: Actuator<Of<'FreezeBalanceV2Contract'>> = {
  validate(chain, c) {
    if (!supportsUnfreezeDelay(chain))
      fail('Not support FreezeV2 transaction, need to be opened by the committee');
    requireAddress(c.owner);
    const acc = requireAccount(chain, c.owner);
    if (c.frozenBalance <= 0) fail('frozenBalance must be positive');
    if (c.frozenBalance < TRX_PRECISION)
      fail('frozenBalance must be greater than or equal to 1 TRX');
    if (c.frozenBalance > acc.balance)
      fail('frozenBalance must be less than or equal to accountBalance');
    // TRON_POWER is only valid under the new resource model, which mainnet has off.
    if (c.resource !== BANDWIDTH && c.resource !== ENERGY) fail(RESOURCE_ERROR);
  },
  execute(chain, c) {
    const acc = chain.account(c.owner) as Account;
    adjustFrozen(chain, acc, c.resource, c.frozenBalance);
    acc.balance -= c.frozenBalance;
    return ok();
  },
};

/** Moves matured unfrozenV2 entries into the balance (UnfreezeBalanceV2Actuator.unfreezeExpire). */
function sweepExpired(acc: Account, now: number): number {
  let amount = 0;
  acc.unfrozen = acc.unfrozen.filter((e) => {
    if (e.expireTime <= now) {
      amount += e.amount;
      return false;
    }
    return true;
  });
  acc.balance += amount;
  return amount;
}

/**
 * UnfreezeBalanceV2Actuator.updateVote: votes survive while TRON power covers them; otherwise
 * each is scaled down to its share of the remaining power and zero votes are dropped.
 */
function shrinkVotes(chain: Chain, acc: Account): void {
  if (acc.votes.length === 0) return;
  const total = totalVotes(acc.votes);
  const tp = tronPower(acc);
  if (total === 0 || tp >= total * TRX_PRECISION) return;
  const scaled = acc.votes
    .map((v) => ({
      address: v.address,
      count: Number((BigInt(v.count) * BigInt(tp)) / (BigInt(total) * BigInt(TRX_PRECISION))),
    }))
    .filter((v) => v.count > 0);
  acc.votes = scaled;
  chain.dirtyVoters.add(acc.address);
}

export const unfreezeBalanceV2: Actuator<Of<'UnfreezeBalanceV2Contract'>> = {
  validate(chain, c) {
    if (!supportsUnfreezeDelay(chain))
      fail('Not support UnfreezeV2 transaction, need to be opened by the committee');
    requireAddress(c.owner);
    const acc = requireAccount(chain, c.owner, true);
    if (c.resource === BANDWIDTH) {
      if (acc.frozen[BANDWIDTH] <= 0) fail('no frozenBalance(BANDWIDTH)');
    } else if (c.resource === ENERGY) {
      if (acc.frozen[ENERGY] <= 0) fail('no frozenBalance(Energy)');
    } else {
      fail('ResourceCode error.valid ResourceCode[BANDWIDTH、Energy]');
    }
    // Only own stake that is not delegated out can be unfrozen.
    if (c.unfreezeBalance <= 0 || c.unfreezeBalance > acc.frozen[c.resource])
      fail(`Invalid unfreeze_balance, [${c.unfreezeBalance}] is error`);
    const now = chain.now();
    const unfreezing = acc.unfrozen.filter((e) => e.expireTime > now).length;
    if (unfreezing >= UNFREEZE_MAX_TIMES)
      fail('Invalid unfreeze operation, unfreezing times is over limit');
  },
  execute(chain, c) {
    const acc = chain.account(c.owner) as Account;
    const now = chain.now();
    withdrawReward(chain, acc);
    const swept = sweepExpired(acc, now);
    acc.unfrozen.push({
      type: c.resource,
      amount: c.unfreezeBalance,
      expireTime: now + chain.p('getUnfreezeDelayDays') * FROZEN_PERIOD,
    });
    adjustFrozen(chain, acc, c.resource, -c.unfreezeBalance);
    shrinkVotes(chain, acc);
    return ok(swept ? { withdrawExpireAmount: swept } : {});
  },
};

export const withdrawExpireUnfreeze: Actuator<Of<'WithdrawExpireUnfreezeContract'>> = {
  validate(chain, c) {
    if (!supportsUnfreezeDelay(chain))
      fail('Not support WithdrawExpireUnfreeze transaction, need to be opened by the committee');
    requireAddress(c.owner);
    const acc = requireAccount(chain, c.owner);
    const now = chain.now();
    const total = acc.unfrozen.filter((e) => e.expireTime <= now).reduce((s, e) => s + e.amount, 0);
    if (total <= 0) fail('no unFreeze balance to withdraw ');
  },
  execute(chain, c) {
    const acc = chain.account(c.owner) as Account;
    const amount = sweepExpired(acc, chain.now());
    return ok({ withdrawExpireAmount: amount });
  },
};

export const cancelAllUnfreezeV2: Actuator<Of<'CancelAllUnfreezeV2Contract'>> = {
  validate(chain, c) {
    if (chain.p('getAllowCancelAllUnfreezeV2') === 0)
      fail('Not support CancelAllUnfreezeV2 transaction, need to be opened by the committee');
    requireAddress(c.owner);
    const acc = requireAccount(chain, c.owner);
    if (acc.unfrozen.length === 0) fail('No unfreezeV2 list to cancel');
  },
  execute(chain, c) {
    const acc = chain.account(c.owner) as Account;
    const now = chain.now();
    const cancelled: [number, number, number] = [0, 0, 0];
    let withdrawn = 0;
    for (const e of acc.unfrozen) {
      if (e.expireTime > now) {
        // Still unfreezing: staked again, weight restored; votes are not touched.
        adjustFrozen(chain, acc, e.type, e.amount);
        if (e.type <= TRON_POWER) cancelled[e.type] += e.amount;
      } else {
        withdrawn += e.amount;
      }
    }
    acc.unfrozen = [];
    acc.balance += withdrawn;
    return ok({ cancelUnfreezeV2Amount: cancelled, withdrawExpireAmount: withdrawn });
  },
};
