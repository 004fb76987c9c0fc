import type { SecurityPolicyFile } from '@app/common';
import type { WritePlan } from '../operations/write-pipeline.js';
import { SUN_PER_VOTE } from '../voting/vote-rules.js';

const SUN_PER_TRX = 1_000_000;

/** The rule a write follows when another step (compliance) requires approval whatever the amount. */
export const REQUIRED_RULE = 'compliance_review';

export interface MatchedRule {
  rule: string;
  requiredApprovals: number;
  timeoutHours: number;
}

type Rules = SecurityPolicyFile['approval_workflows']['rules'];

/**
 * The approval_workflows rule a plan is at or over the threshold of, if any. A plan names its
 * rule in `approval`, or is matched by its spending operation (stake, freeze, unstake, unfreeze,
 * vote, delegate, undelegate) and amount, or required by another step (`approvalRequired` →
 * `compliance_review`). With several, the strictest (most approvers) wins.
 */
export function matchRule(plan: WritePlan, rules: Rules): MatchedRule | undefined {
  const operation = plan.spending?.operation;
  const amountSun = plan.approval?.amountSun ?? plan.spending?.amountSun;
  const votes =
    plan.approval?.votes ??
    (operation === 'vote' && amountSun !== undefined
      ? Number(amountSun / SUN_PER_VOTE)
      : undefined);
  const required = (plan.approvalRequired?.length ?? 0) > 0;
  const hits = Object.entries(rules).filter(([name, r]) => {
    if (name === REQUIRED_RULE) return required;
    if (
      plan.approval?.rule ? name !== plan.approval.rule : !r.operations.includes(operation as never)
    )
      return false;
    if (r.threshold_votes !== undefined) return votes !== undefined && votes >= r.threshold_votes;
    if (r.threshold_trx !== undefined)
      return amountSun !== undefined && Number(amountSun) >= r.threshold_trx * SUN_PER_TRX;
    return false;
  });
  const [name, rule] =
    hits.sort((a, b) => b[1].required_approvals - a[1].required_approvals)[0] ?? [];
  return name && rule
    ? { rule: name, requiredApprovals: rule.required_approvals, timeoutHours: rule.timeout_hours }
    : undefined;
}
