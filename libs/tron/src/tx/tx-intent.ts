import type { Sun } from '@app/common';

export type Resource = 'ENERGY' | 'BANDWIDTH';

/** What the service means to do on chain; a built transaction must encode exactly this. */
export type TxIntent =
  | { kind: 'freeze'; owner: string; amountSun: Sun; resource: Resource }
  | { kind: 'unfreeze'; owner: string; amountSun: Sun; resource: Resource }
  | { kind: 'withdraw_expire_unfreeze'; owner: string }
  | { kind: 'cancel_all_unfreeze'; owner: string }
  | { kind: 'vote'; owner: string; votes: { witness: string; count: number }[] }
  | {
      kind: 'delegate';
      owner: string;
      receiver: string;
      amountSun: Sun;
      resource: Resource;
      lock: boolean;
      lockPeriodBlocks: number;
    }
  | { kind: 'undelegate'; owner: string; receiver: string; amountSun: Sun; resource: Resource }
  | { kind: 'claim_reward'; owner: string }
  /** AccountCreateContract: activates `account` (the owner pays the chain's account fee). */
  | { kind: 'activate'; owner: string; account: string };

export type TxKind = TxIntent['kind'];

export const CONTRACT_TYPE_OF: Record<TxKind, string> = {
  freeze: 'FreezeBalanceV2Contract',
  unfreeze: 'UnfreezeBalanceV2Contract',
  withdraw_expire_unfreeze: 'WithdrawExpireUnfreezeContract',
  cancel_all_unfreeze: 'CancelAllUnfreezeV2Contract',
  vote: 'VoteWitnessContract',
  delegate: 'DelegateResourceContract',
  undelegate: 'UnDelegateResourceContract',
  claim_reward: 'WithdrawBalanceContract',
  activate: 'AccountCreateContract',
};

/** A transaction as the node's JSON API carries it. */
export interface TronTransaction {
  txID: string;
  raw_data: {
    expiration: number;
    timestamp: number;
    ref_block_bytes: string;
    ref_block_hash: string;
    contract: unknown[];
    [k: string]: unknown;
  };
  raw_data_hex: string;
  signature?: string[];
  visible?: boolean;
  [k: string]: unknown;
}
