import { isValidAddressHex } from '../../tx/address.js';
import type { Contract } from '../../tx/contracts.js';
import { type Account, frozenWithDelegated } from '../account.js';
import type { Chain } from '../chain.js';
import {
  ACCOUNT_EXCEPTION_STR,
  BANDWIDTH,
  ENERGY,
  NOT_EXIST_STR,
  TRX_PRECISION,
} from '../constants.js';
import { ContractValidateError } from '../errors.js';
import type { TxInfoExtras } from '../types.js';

export interface ExecResult {
  /** Fee charged by the actuator itself (calcFee), on top of bandwidth. */
  fee: number;
  extras: TxInfoExtras;
}

export interface Actuator<C extends Contract = Contract> {
  validate(chain: Chain, c: C): void;
  execute(chain: Chain, c: C): ExecResult;
}

export function fail(message: string): never {
  throw new ContractValidateError(message);
}

export function requireAddress(hex: string, message = 'Invalid address'): void {
  if (!isValidAddressHex(hex)) fail(message);
}

/** Owner lookup with java-tron's "Account[<hex>] not exists" (or "does not exist") message. */
export function requireAccount(chain: Chain, hex: string, doesNotExist = false): Account {
  const acc = chain.account(hex);
  if (!acc) fail(ACCOUNT_EXCEPTION_STR + hex + (doesNotExist ? '] does not exist' : NOT_EXIST_STR));
  return acc;
}

/** Stake 2.0 is switched on by a non-zero unfreeze delay (supportUnfreezeDelay). */
export function supportsUnfreezeDelay(chain: Chain): boolean {
  return chain.p('getUnfreezeDelayDays') > 0;
}

/**
 * Changes own frozenV2 stake and moves the global weight (whole TRX, including delegated-out
 * stake) by the change of floor(stake / 1 TRX), as FreezeBalanceV2Actuator does.
 */
export function adjustFrozen(chain: Chain, acc: Account, resource: number, delta: number): void {
  const before = Math.floor(frozenWithDelegated(acc, resource) / TRX_PRECISION);
  acc.frozen[resource] += delta;
  const after = Math.floor(frozenWithDelegated(acc, resource) / TRX_PRECISION);
  if (resource === BANDWIDTH) chain.totalNetWeight += after - before;
  else if (resource === ENERGY) chain.totalEnergyWeight += after - before;
  else chain.totalTronPowerWeight += after - before;
}

export const ok = (extras: TxInfoExtras = {}, fee = 0): ExecResult => ({ fee, extras });
