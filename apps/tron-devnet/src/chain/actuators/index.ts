import type { Contract, ContractTypeName } from '../../tx/contracts.js';
import { createAccount, transfer } from './account.actuators.js';
import type { Actuator } from './actuator.js';
import { delegateResource, unDelegateResource } from './delegate.actuators.js';
import {
  cancelAllUnfreezeV2,
  freezeBalanceV2,
  unfreezeBalanceV2,
  withdrawExpireUnfreeze,
} from './stake.actuators.js';
import { voteWitness, withdrawBalance } from './vote.actuators.js';

const ACTUATORS: Record<ContractTypeName, Actuator<never>> = {
  FreezeBalanceV2Contract: freezeBalanceV2,
  UnfreezeBalanceV2Contract: unfreezeBalanceV2,
  WithdrawExpireUnfreezeContract: withdrawExpireUnfreeze,
  CancelAllUnfreezeV2Contract: cancelAllUnfreezeV2,
  DelegateResourceContract: delegateResource,
  UnDelegateResourceContract: unDelegateResource,
  VoteWitnessContract: voteWitness,
  WithdrawBalanceContract: withdrawBalance,
  TransferContract: transfer,
  AccountCreateContract: createAccount,
};

export function actuatorFor(c: Contract): Actuator<Contract> {
  return ACTUATORS[c.type] as unknown as Actuator<Contract>;
}

export { ContractValidateError } from '../errors.js';
