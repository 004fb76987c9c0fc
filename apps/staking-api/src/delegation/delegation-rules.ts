import { ErrorCode, SecurityPolicy, StakingException, sunToTrxString, type Sun } from '@app/common';
import { toBase58Address, type ChainAccount, type ChainDelegation, type Resource } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { BLOCK_MS, effectiveLockBlocks, pairPosition, type PairPosition } from './resource-math.js';

// java-tron: a delegation moves at least 1 TRX of stake.
const CHAIN_MIN_SUN = 1_000_000n;
const iso = (ms: number) => new Date(ms).toISOString();

/** Who delegates to whom, from either request shape. */
export interface Parties {
  owner: string;
  receiver: string;
}

/**
 * The checks java-tron's DelegateResourceActuator and UnDelegateResourceActuator make, against
 * fresh chain state, so a refusal answers with our S-code and says why (and until when).
 */
@Injectable()
export class DelegationRules {
  constructor(private readonly policy: SecurityPolicy) {}

  parties(dto: {
    address?: string;
    from_address?: string;
    receiver_address?: string;
    to_address?: string;
  }): Parties {
    const owner = one(dto.address, dto.from_address);
    const receiver = one(dto.receiver_address, dto.to_address);
    if (!owner || !receiver)
      throw new StakingException(ErrorCode.DELEGATION_PARTY_FIELDS, undefined, {
        owner_fields: ['address', 'from_address'],
        receiver_fields: ['receiver_address', 'to_address'],
      });
    if (owner === receiver)
      throw new StakingException(ErrorCode.DELEGATE_TO_SELF, undefined, { address: owner });
    return { owner, receiver };
  }

  amount(amountSun: Sun): void {
    const { minSun, maxSun } = this.policy.delegationLimits;
    const min = minSun > CHAIN_MIN_SUN ? minSun : CHAIN_MIN_SUN;
    if (amountSun < min || amountSun > maxSun)
      throw new StakingException(
        ErrorCode.INVALID_DELEGATION_AMOUNT,
        `amount must be between ${sunToTrxString(min)} and ${sunToTrxString(maxSun)} TRX`,
        { min_trx: sunToTrxString(min), max_trx: sunToTrxString(maxSun) },
      );
  }

  receiverActivated(receiver: ChainAccount): void {
    if (!receiver.exists)
      throw new StakingException(ErrorCode.RECEIVER_NOT_ACTIVATED, undefined, {
        receiver_address: receiver.address,
        hint: 'send activate_receiver: true (custodial mode) to activate it first',
      });
  }

  /** getcandelegatedmaxsize, less what delegations the node does not show yet will take. */
  withinDelegatable(amountSun: Sun, maxSun: Sun, resource: Resource): void {
    if (amountSun > maxSun)
      throw new StakingException(
        ErrorCode.INSUFFICIENT_DELEGATABLE_RESOURCE,
        `At most ${sunToTrxString(maxSun)} TRX of ${resource} stake can be delegated now.`,
        { max_trx: sunToTrxString(maxSun > 0n ? maxSun : 0n), resource },
      );
  }

  /**
   * The lock java-tron will apply: within getMaxDelegateLockPeriod, and ending no earlier than
   * a running lock of the same (owner, receiver, resource). Returns the period in blocks.
   */
  lockPeriod(
    lock: boolean,
    requested: number,
    maxBlocks: number,
    existing: ChainDelegation[],
    resource: Resource,
    chainNow: number,
  ): number {
    if (!lock) return 0;
    if (requested > maxBlocks)
      throw new StakingException(
        ErrorCode.INVALID_LOCK_PERIOD,
        `lock_period must not exceed the chain's maximum of ${maxBlocks} blocks.`,
        { max_lock_period: maxBlocks, max_lock_days: (maxBlocks * BLOCK_MS) / 86_400_000 },
      );
    const blocks = effectiveLockBlocks(true, requested, maxBlocks);
    const running = pairPosition(existing, resource, chainNow);
    const remaining = running.lockEndsAt - chainNow;
    if (running.lockedSun > 0n && blocks * BLOCK_MS < remaining)
      throw new StakingException(ErrorCode.LOCK_SHORTER_THAN_REMAINING, undefined, {
        current_lock_ends_at: iso(running.lockEndsAt),
        min_lock_period: Math.ceil(remaining / BLOCK_MS),
        requested_lock_period: blocks,
      });
    return blocks;
  }

  undelegatable(position: PairPosition, amountSun: Sun, parties: Parties): void {
    if (position.totalSun === 0n)
      throw new StakingException(ErrorCode.DELEGATION_NOT_FOUND, undefined, {
        address: parties.owner,
        receiver_address: parties.receiver,
      });
    if (amountSun > position.totalSun)
      throw new StakingException(ErrorCode.UNDELEGATE_EXCEEDS_DELEGATED, undefined, {
        delegated_trx: sunToTrxString(position.totalSun),
        unlocked_trx: sunToTrxString(position.unlockedSun),
      });
    if (amountSun > position.unlockedSun)
      throw new StakingException(ErrorCode.DELEGATION_LOCKED, undefined, {
        unlock_at: iso(position.lockEndsAt),
        locked_trx: sunToTrxString(position.lockedSun),
        unlocked_trx: sunToTrxString(position.unlockedSun),
      });
  }
}

/** One address from a pair of alternative fields: both given must agree. */
function one(a: string | undefined, b: string | undefined): string | undefined {
  const [x, y] = [a, b].map((v) => (v === undefined ? undefined : toBase58Address(v)));
  if (x !== undefined && y !== undefined && x !== y) return undefined;
  return x ?? y;
}
