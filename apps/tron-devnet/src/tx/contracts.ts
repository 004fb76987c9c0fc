import { RESOURCE_NAMES } from '../chain/constants.js';
import { addressOut } from './address.js';
import { bool, bytesHex, int64, readFields, repeated } from './protobuf.js';

/** Transaction.Contract.ContractType codes of the contracts the devnet executes. */
export const CONTRACT_TYPE_CODES = {
  AccountCreateContract: 0,
  TransferContract: 1,
  VoteWitnessContract: 4,
  WithdrawBalanceContract: 13,
  FreezeBalanceV2Contract: 54,
  UnfreezeBalanceV2Contract: 55,
  WithdrawExpireUnfreezeContract: 56,
  DelegateResourceContract: 57,
  UnDelegateResourceContract: 58,
  CancelAllUnfreezeV2Contract: 59,
} as const;

export type ContractTypeName = keyof typeof CONTRACT_TYPE_CODES;

export const CONTRACT_TYPE_BY_CODE = new Map<number, ContractTypeName>(
  Object.entries(CONTRACT_TYPE_CODES).map(([name, code]) => [code, name as ContractTypeName]),
);

export interface VoteEntry {
  address: string;
  count: number;
}

export type Contract =
  | { type: 'FreezeBalanceV2Contract'; owner: string; frozenBalance: number; resource: number }
  | { type: 'UnfreezeBalanceV2Contract'; owner: string; unfreezeBalance: number; resource: number }
  | {
      type: 'DelegateResourceContract';
      owner: string;
      resource: number;
      balance: number;
      receiver: string;
      lock: boolean;
      lockPeriod: number;
    }
  | {
      type: 'UnDelegateResourceContract';
      owner: string;
      resource: number;
      balance: number;
      receiver: string;
    }
  | { type: 'VoteWitnessContract'; owner: string; votes: VoteEntry[] }
  | { type: 'WithdrawBalanceContract'; owner: string }
  | { type: 'WithdrawExpireUnfreezeContract'; owner: string }
  | { type: 'CancelAllUnfreezeV2Contract'; owner: string }
  | { type: 'TransferContract'; owner: string; to: string; amount: number }
  | { type: 'AccountCreateContract'; owner: string; account: string; accountType: number };

/** Decodes the serialized contract message (Any.value) into the fields the actuators read. */
export function decodeContract(type: ContractTypeName, value: Uint8Array): Contract {
  const f = readFields(value);
  const owner = bytesHex(f, 1);
  switch (type) {
    case 'FreezeBalanceV2Contract':
      return { type, owner, frozenBalance: int64(f, 2), resource: int64(f, 3) };
    case 'UnfreezeBalanceV2Contract':
      return { type, owner, unfreezeBalance: int64(f, 2), resource: int64(f, 3) };
    case 'DelegateResourceContract':
      return {
        type,
        owner,
        resource: int64(f, 2),
        balance: int64(f, 3),
        receiver: bytesHex(f, 4),
        lock: bool(f, 5),
        lockPeriod: int64(f, 6),
      };
    case 'UnDelegateResourceContract':
      return { type, owner, resource: int64(f, 2), balance: int64(f, 3), receiver: bytesHex(f, 4) };
    case 'VoteWitnessContract':
      return {
        type,
        owner,
        votes: repeated(f, 2).map((v) => {
          const vf = readFields(v);
          return { address: bytesHex(vf, 1), count: int64(vf, 2) };
        }),
      };
    case 'TransferContract':
      return { type, owner, to: bytesHex(f, 2), amount: int64(f, 3) };
    case 'AccountCreateContract':
      return { type, owner, account: bytesHex(f, 2), accountType: int64(f, 3) };
    default:
      return { type, owner };
  }
}

function resourceName(code: number): string | number {
  return RESOURCE_NAMES[code] ?? code;
}

/**
 * The contract's `parameter.value` as java-tron's JsonFormat prints it: proto field names,
 * default values left out, addresses hex or Base58 by `visible`.
 */
export function contractValueJson(c: Contract, visible: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const addr = (k: string, hex: string): void => {
    if (hex) out[k] = addressOut(hex, visible);
  };
  const num = (k: string, v: number): void => {
    if (v) out[k] = v;
  };
  const res = (v: number): void => {
    if (v) out.resource = resourceName(v);
  };
  switch (c.type) {
    case 'FreezeBalanceV2Contract':
      addr('owner_address', c.owner);
      num('frozen_balance', c.frozenBalance);
      res(c.resource);
      break;
    case 'UnfreezeBalanceV2Contract':
      addr('owner_address', c.owner);
      num('unfreeze_balance', c.unfreezeBalance);
      res(c.resource);
      break;
    case 'DelegateResourceContract':
      addr('owner_address', c.owner);
      res(c.resource);
      num('balance', c.balance);
      addr('receiver_address', c.receiver);
      if (c.lock) out.lock = true;
      num('lock_period', c.lockPeriod);
      break;
    case 'UnDelegateResourceContract':
      addr('owner_address', c.owner);
      res(c.resource);
      num('balance', c.balance);
      addr('receiver_address', c.receiver);
      break;
    case 'VoteWitnessContract':
      addr('owner_address', c.owner);
      if (c.votes.length)
        out.votes = c.votes.map((v) => {
          const o: Record<string, unknown> = {};
          if (v.address) o.vote_address = addressOut(v.address, visible);
          if (v.count) o.vote_count = v.count;
          return o;
        });
      break;
    case 'TransferContract':
      addr('owner_address', c.owner);
      addr('to_address', c.to);
      num('amount', c.amount);
      break;
    case 'AccountCreateContract':
      addr('owner_address', c.owner);
      addr('account_address', c.account);
      num('type', c.accountType);
      break;
    default:
      addr('owner_address', c.owner);
  }
  return out;
}
