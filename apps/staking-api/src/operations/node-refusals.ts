import { ErrorCode, type StakingErrorCode } from '@app/common';
import type { TxKind } from '@app/tron';

// java-tron's actuator messages (see shared/reference §2) → our S-codes. First match wins.
const MESSAGE_RULES: [RegExp, StakingErrorCode][] = [
  [
    /less than or equal to accountBalance|balance is not sufficient|insufficient balance/i,
    ErrorCode.INSUFFICIENT_BALANCE,
  ],
  [/unfreezing times is over limit/i, ErrorCode.UNFREEZE_LIMIT_REACHED],
  [/no unFreeze balance to withdraw/i, ErrorCode.NOTHING_TO_WITHDRAW],
  [/less than 24 hours/i, ErrorCode.CLAIM_NOT_YET_ALLOWED],
  [/does not have any reward/i, ErrorCode.NOTHING_TO_CLAIM],
  [/greater than the tronPower/i, ErrorCode.INSUFFICIENT_TRON_POWER],
  [/Witness\[[^\]]*\] not exists/i, ErrorCode.WITNESS_NOT_FOUND],
  [/VoteNumber more than maxVoteNumber/i, ErrorCode.TOO_MANY_WITNESSES],
  [
    /delegateBalance must be less than or equal to available/i,
    ErrorCode.INSUFFICIENT_DELEGATABLE_RESOURCE,
  ],
  [/receiverAddress must not be the same/i, ErrorCode.DELEGATE_TO_SELF],
  [/insufficient delegat\w*FrozenBalance/i, ErrorCode.DELEGATION_LOCKED],
  [/delegated Resource does not exist/i, ErrorCode.DELEGATION_NOT_FOUND],
  [/lock period/i, ErrorCode.INVALID_LOCK_PERIOD],
  [/no frozenBalance|Invalid unfreeze_balance/i, ErrorCode.UNSTAKE_EXCEEDS_FROZEN],
  [/frozenBalance must be/i, ErrorCode.AMOUNT_BELOW_MINIMUM],
  [
    /Account\[[^\]]*\] (not exists|does not exist)|account \[[^\]]*\] does not exist/i,
    ErrorCode.ACCOUNT_NOT_ACTIVATED,
  ],
];

const KIND_DEFAULT: Record<TxKind, StakingErrorCode> = {
  freeze: ErrorCode.FREEZE_FAILED,
  unfreeze: ErrorCode.UNFREEZE_FAILED,
  withdraw_expire_unfreeze: ErrorCode.UNFREEZE_FAILED,
  cancel_all_unfreeze: ErrorCode.UNFREEZE_FAILED,
  vote: ErrorCode.VOTE_FAILED,
  delegate: ErrorCode.DELEGATION_FAILED,
  undelegate: ErrorCode.DELEGATION_FAILED,
  claim_reward: ErrorCode.BROADCAST_FAILED,
  // Activation only ever precedes a delegation (activate_receiver).
  activate: ErrorCode.DELEGATION_FAILED,
};

/** The S-code for a node's refusal of a broadcast. */
export function codeForRefusal(
  kind: TxKind,
  nodeCode: string | undefined,
  message: string | undefined,
): StakingErrorCode {
  if (nodeCode === 'TRANSACTION_EXPIRATION_ERROR') return ErrorCode.TRANSACTION_EXPIRED;
  if (nodeCode === 'SIGERROR') return ErrorCode.SIGNATURE_INVALID;
  if (nodeCode === 'BANDWITH_ERROR') return ErrorCode.INSUFFICIENT_BALANCE;
  if (nodeCode === 'CONTRACT_VALIDATE_ERROR' || nodeCode === 'CONTRACT_EXE_ERROR') {
    for (const [pattern, code] of MESSAGE_RULES) if (pattern.test(message ?? '')) return code;
    return KIND_DEFAULT[kind];
  }
  return ErrorCode.BROADCAST_FAILED;
}
