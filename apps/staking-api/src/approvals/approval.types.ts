import type { Principal } from '@app/auth';
import type { OperationActor } from '../operations/operation.types.js';
import type { ApprovalStatus } from './approval.schema.js';
import type { AllowListChangeEffect, ApprovalEffect } from './approval-effect.js';

/** The rule of allow-list changes (policy allow_lists.change_approval): no operation behind it. */
export const ALLOW_LIST_RULE = 'allow_list_change';
/** Whether an approval stands for an allow-list change rather than an on-chain write. */
export const isAllowListChange = (a: Pick<Approval, 'rule'>) => a.rule === ALLOW_LIST_RULE;

/**
 * Who stands behind a credential: a user is themself, an API key is the user who created it.
 * Approvers are compared by person, so a requester cannot approve through one of their keys.
 */
export interface ApprovalPerson {
  principal: ApprovalPrincipal;
  person: string;
}

/** A caller, or (kind `system`) one of the service's own jobs asking for its write. */
export interface ApprovalPrincipal {
  kind: Principal['kind'] | 'system';
  id: string;
  role: string;
  username?: string;
}

export interface ApprovalDecision {
  decision: 'approve' | 'reject';
  by: ApprovalPerson;
  comment?: string;
  at: Date;
}

/** What is needed to re-plan the write after quorum (the original principal recorded). */
export interface StoredRequest {
  route: string;
  body: unknown;
  mode: string;
  actor: OperationActor;
  principal: ApprovalPrincipal;
  idempotency_key?: string;
  request_hash: string;
  request_id: string;
}

export interface Approval {
  id: string;
  status: ApprovalStatus;
  version: number;
  rule: string;
  required_approvals: number;
  timeout_hours: number;
  operation_id: string;
  operation_kind: string;
  owner_address: string;
  requester: ApprovalPerson;
  request: StoredRequest;
  /** Hash of the request (route, body, principal): the approval is for this request only. */
  request_hash: string;
  /** Hash of the material facts the effect was computed from (balance, power, votes, limits). */
  facts_hash: string;
  /** Why another step (compliance) required approval, when it did. */
  reasons?: string[];
  effect: ApprovalEffect | AllowListChangeEffect;
  decisions: ApprovalDecision[];
  history: Record<string, unknown>[];
  expires_at: Date;
  failure?: { code: string; message: string };
  created_at: Date;
  updated_at: Date;
}
