import { ErrorCode, SecurityPolicy, StakingException, sunToTrxString, type Sun } from '@app/common';
import type { ChainAccount } from '@app/tron';
import { freedBy, type StakePosition } from './stake-ledger.js';
import { Injectable } from '@nestjs/common';

// java-tron: UNFREEZE_MAX_TIMES — at most 32 unfreezes may be pending per account.
export const MAX_PENDING_UNFREEZES = 32;
// java-tron: freeze, unfreeze and delegate amounts must be at least 1 TRX.
export const CHAIN_MIN_SUN = 1_000_000n;

/**
 * The rules the chain (and our policy) would apply, checked first against fresh chain state
 * so a refusal comes back with our own S-code instead of a failed broadcast.
 */
@Injectable()
export class StakingRules {
  constructor(private readonly policy: SecurityPolicy) {}

  stakeAmount(amountSun: Sun): void {
    const { minSun, maxSun } = this.policy.stakingLimits;
    const min = minSun > CHAIN_MIN_SUN ? minSun : CHAIN_MIN_SUN;
    if (amountSun < min)
      throw new StakingException(ErrorCode.AMOUNT_BELOW_MINIMUM, undefined, {
        min_trx: sunToTrxString(min),
      });
    if (amountSun > maxSun)
      throw new StakingException(ErrorCode.AMOUNT_ABOVE_MAXIMUM, undefined, {
        max_trx: sunToTrxString(maxSun),
      });
  }

  duration(days: number): void {
    const { minDays, maxDays } = this.policy.stakingLimits;
    if (days < minDays || days > maxDays) {
      throw new StakingException(
        ErrorCode.INVALID_DURATION,
        `duration must be between ${minDays} and ${maxDays} days`,
        { min_days: minDays, max_days: maxDays },
      );
    }
  }

  get defaultDurationDays(): number {
    return this.policy.stakingLimits.minDays;
  }

  activated(account: ChainAccount): void {
    if (!account.exists)
      throw new StakingException(ErrorCode.ACCOUNT_NOT_ACTIVATED, undefined, {
        address: account.address,
      });
  }

  /** `committedSun`: spent by accepted operations the node does not show yet. */
  balanceCovers(account: ChainAccount, amountSun: Sun, committedSun: Sun = 0n): void {
    this.activated(account);
    if (account.balanceSun - committedSun < amountSun) {
      throw new StakingException(ErrorCode.INSUFFICIENT_BALANCE, undefined, {
        balance_trx: sunToTrxString(account.balanceSun),
        ...(committedSun > 0n ? { committed_trx: sunToTrxString(committedSun) } : {}),
        requested_trx: sunToTrxString(amountSun),
      });
    }
  }

  /** Unfreeze: only own, undelegated stake of the resource, and a free unfreeze slot. */
  canUnfreeze(
    account: ChainAccount,
    resource: 'ENERGY' | 'BANDWIDTH',
    amountSun: Sun,
    chainNow: number,
  ): void {
    this.activated(account);
    if (amountSun < CHAIN_MIN_SUN && amountSun !== account.frozenSun[resource]) {
      throw new StakingException(ErrorCode.AMOUNT_BELOW_MINIMUM, undefined, {
        min_trx: sunToTrxString(CHAIN_MIN_SUN),
      });
    }
    if (account.frozenSun[resource] < amountSun) {
      throw new StakingException(ErrorCode.UNSTAKE_EXCEEDS_FROZEN, undefined, {
        frozen_trx: sunToTrxString(account.frozenSun[resource]),
        delegated_out_trx: sunToTrxString(account.delegatedOutSun[resource]),
        requested_trx: sunToTrxString(amountSun),
      });
    }
    const pending = account.unfreezing.filter((u) => u.expireAt > chainNow).length;
    if (pending >= MAX_PENDING_UNFREEZES)
      throw new StakingException(ErrorCode.UNFREEZE_LIMIT_REACHED, undefined, {
        pending_unfreezes: pending,
      });
  }

  /** The S3xx refusal of an amount that running holding periods (or the chain) do not free. */
  refuseHeld(position: StakePosition, amountSun: Sun): never {
    const until = freedBy(position, amountSun);
    if (position.heldSun > 0n && until) {
      throw new StakingException(
        ErrorCode.HOLDING_PERIOD_NOT_ENDED,
        `Part of this stake is held until ${until.toISOString()}.`,
        {
          held_until: until.toISOString(),
          held_trx: sunToTrxString(position.heldSun),
          unfreezable_trx: sunToTrxString(position.freeSun),
          requested_trx: sunToTrxString(amountSun),
        },
      );
    }
    throw new StakingException(ErrorCode.UNSTAKE_EXCEEDS_FROZEN, undefined, {
      frozen_trx: sunToTrxString(position.frozenSun),
      held_trx: sunToTrxString(position.heldSun),
      unfreezable_trx: sunToTrxString(position.freeSun),
      requested_trx: sunToTrxString(amountSun),
    });
  }
}
