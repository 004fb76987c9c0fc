import type { ComplianceDecision } from './write-compliance.js';
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
  // built → broadcast: an outside signer sent the transaction to the node itself.
  built: ['signed', 'broadcast', 'expired', 'failed', 'cancelled'],
  signed: ['broadcast', 'confirmed', 'failed', 'expired'],
  broadcast: ['confirmed', 'failed', 'expired'],
  confirmed: [],
  failed: [],
  expired: [],
  cancelled: [],
};

export const isTerminal = (state: OperationState): boolean => TERMINAL_STATES.includes(state);

export type SigningMode = 'custodial' | 'unsigned';

/**
 * What the tracker does with an operation, as one equality-indexed field (DESIGN.md §4): each
 * lane is read on its own, so a pile of operations waiting for an outside signature can never
 * hold back the confirmation of others. Terminal operations have none.
 */
export type TrackingLane = 'build' | 'sign' | 'signature' | 'chain';

export function laneOf(state: OperationState, mode: SigningMode): TrackingLane | undefined {
  switch (state) {
    case 'requested':
    case 'approved':
      return 'build';
    case 'built':
      return mode === 'unsigned' ? 'signature' : 'sign';
    case 'signed':
    case 'broadcast':
      return 'chain';
    default:
      return undefined;
  }
}

/** States whose transaction the node has not accepted yet: their effect is not in its account view. */
export const NOT_ON_CHAIN_STATES: readonly OperationState[] = [
  'requested',
  'pending_approval',
  'approved',
  'built',
  'signed',
];

/** A spending reservation as stored on its operation, so any replica can release it at settlement. */
export interface StoredReservation {
  id: string;
  key: string | null;
  amount_sun: string;
  operation: string;
  day: string;
  principal: { kind: string; id: string; role?: string };
}

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
  /** Full node block holding the transaction: shown as soon as known, final once solidified. */
  block_number?: number;
  block_timestamp?: number;
  included_at?: Date;
  confirmed_at?: Date;
  fee_sun?: string;
  result?: {
    withdraw_amount_sun?: string;
    withdraw_expire_amount_sun?: string;
    cancelled_unfreeze_sun?: { ENERGY: string; BANDWIDTH: string };
  };
  error?: { code: string; message: string; node_code?: string };
  broadcast_attempts: number;
  tracking?: TrackingLane;
  /** The owner while the operation is open: the per-owner lookup of in-flight work. */
  open_owner?: string;
  reservation?: StoredReservation;
  /** The compliance decision taken before the operation was created (outcome, reasons, risk). */
  compliance?: ComplianceDecision;
  /** The Idempotency-Key stops naming this operation after this (policy TTL). */
  idempotency_expires_at?: Date;
  /** Set with every terminal transition, cleared once its record and limits have followed. */
  settlement_pending?: boolean;
  settled_at?: Date;
  /** UTC day of settlement, while its bulky details are kept: the details-cleanup bucket. */
  settled_day?: string;
  /** When the cleanup dropped the transaction bytes (past operation_details_days). */
  details_pruned_at?: Date;
  history: OperationHistoryEntry[];
  created_at: Date;
  updated_at: Date;
}
