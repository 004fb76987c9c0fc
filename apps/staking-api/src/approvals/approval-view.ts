import type { Approval } from './approval.types.js';

/** The wire form of an approval (GET /approvals, decisions). */
export function approvalView(a: Approval) {
  const approvals = a.decisions.filter((d) => d.decision === 'approve');
  const rejection = a.decisions.find((d) => d.decision === 'reject');
  const who = (p: Approval['requester']) => ({ ...p.principal });
  return {
    approval_id: a.id,
    status: a.status,
    rule: a.rule,
    required_approvals: a.required_approvals,
    approvals_received: approvals.length,
    approvals: approvals.map((d) => ({
      approver: who(d.by),
      ...(d.comment ? { comment: d.comment } : {}),
      at: new Date(d.at).toISOString(),
    })),
    ...(rejection
      ? {
          rejection: {
            by: who(rejection.by),
            comment: rejection.comment ?? '',
            at: new Date(rejection.at).toISOString(),
          },
        }
      : {}),
    requester: who(a.requester),
    operation_id: a.operation_id,
    operation_kind: a.operation_kind,
    ...(a.reasons?.length ? { reasons: a.reasons } : {}),
    owner_address: a.owner_address,
    effect: a.effect,
    expires_at: new Date(a.expires_at).toISOString(),
    created_at: new Date(a.created_at).toISOString(),
    updated_at: new Date(a.updated_at).toISOString(),
    ...(a.failure ? { failure: a.failure } : {}),
  };
}

/** The 202 a write over a threshold answers: nothing is built until approvers agree. */
export function pendingAnswer(a: Approval, factsChanged = false) {
  return {
    approval_id: a.id,
    status: 'pending_approval' as const,
    required_approvals: a.required_approvals,
    approvals_received: a.decisions.filter((d) => d.decision === 'approve').length,
    expires_at: new Date(a.expires_at).toISOString(),
    operation_id: a.operation_id,
    effect: a.effect,
    ...(factsChanged ? { facts_changed: true } : {}),
  };
}
