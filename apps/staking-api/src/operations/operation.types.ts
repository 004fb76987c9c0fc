import type { TronTransaction, TxKind } from '@app/tron';

export const OPERATION_STATES = [
  'requested',
  'pending_approval',
  'approved',
  'built',
  'signed',
  'broadcast',
  'confirmed',
  'failed',
  'expired',
  'cancelled',
] as const;
export type OperationState = (typeof OPERATION_STATES)[number];

export const TERMINAL_STATES: readonly OperationState[] = [
  'confirmed',
  'failed',
  'expired',
  'cancelled',
];

/** The only moves the state machine allows; every move is one conditional update. */
export const TRANSITIONS: Record<OperationState, readonly OperationState[]> = {
  requested: ['pending_approval', 'built', 'failed', 'cancelled'],
  pending_approval: ['approved', 'cancelled', 'expired'],
  approved: ['built', 'failed', 'cancelled'],
  built: ['signed', 'expired', 'failed', 'cancelled'],
  signed: ['broadcast', 'confirmed', 'failed'],
  broadcast: ['confirmed', 'failed'],
  confirmed: [],
  failed: [],
  expired: [],
  cancelled: [],
};

export type SigningMode = 'custodial' | 'unsigned';

export interface OperationHistoryEntry {
  state: OperationState;
  at: Date;
  note?: string;
}

export interface OperationActor {
  kind: 'user' | 'api_key' | 'system';
  id: string;
  role?: string;
}

/** Intent parameters as stored: amounts as decimal SUN strings, addresses Base58. */
export interface OperationParams {
  owner: string;
  amount_sun?: string;
  resource?: 'ENERGY' | 'BANDWIDTH';
  receiver?: string;
  lock?: boolean;
  lock_period_blocks?: number;
  votes?: { witness: string; count: number }[];
}

export interface Operation {
  id: string;
  kind: TxKind;
  mode: SigningMode;
  state: OperationState;
  params: OperationParams;
  owner_address: string;
  /** Domain record this operation serves (staking_id, vote_id, delegation_id…). */
  subject?: { type: string; id: string };
  idempotency_scope: string;
  idempotency_key: string;
  request_hash: string;
  requested_by: OperationActor;
  request_id?: string;
  unsigned_tx?: TronTransaction;
  signed_tx?: TronTransaction;
  txid?: string;
  expiration?: number;
  block_number?: number;
  block_timestamp?: number;
  fee_sun?: string;
  result?: { withdraw_amount_sun?: string; withdraw_expire_amount_sun?: string };
  error?: { code: string; message: string; node_code?: string };
  broadcast_attempts: number;
  history: OperationHistoryEntry[];
  created_at: Date;
  updated_at: Date;
}
