import type { Sun } from '@app/common';
import type { TxIntent } from '@app/tron';
import type { WriteContext } from './write-context.js';

/** One reason behind a compliance decision, stored on the operation and in the audit trail. */
export interface ComplianceReason {
  /** e.g. kyc_level, sanctions_match, velocity, risk_score, pep_match, large_amount. */
  check: string;
  /** The S-code this reason blocks or escalates with, when it does. */
  code?: string;
  detail: string;
}

export interface ComplianceDecision {
  outcome: 'allow' | 'approval_required';
  reasons: ComplianceReason[];
  risk?: { score: number; band: 'low' | 'medium' | 'high'; factors: Record<string, number> };
  decided_at: string;
}

export interface ComplianceInput {
  owner: string;
  intent: TxIntent;
  /** Every address the write pays, votes for, delegates to or acts as (the owner included). */
  counterparties: string[];
  amountSun: Sun;
  ctx: WriteContext;
}

/**
 * THE compliance decision of a write, taken by the write pipeline after the area's plan and
 * before the spending reservation. Allows, asks for an approval, or blocks by throwing its
 * S-code (after recording the reasons). The compliance module provides it; without it every
 * write is allowed (unit setups).
 */
export abstract class WriteCompliance {
  abstract decide(input: ComplianceInput): Promise<ComplianceDecision>;
}

/** The owner and every address the intent itself names, whatever the plan declared. */
export function counterpartiesOf(intent: TxIntent, declared: readonly string[] = []): string[] {
  const named: string[] = [intent.owner];
  if (intent.kind === 'vote') named.push(...intent.votes.map((v) => v.witness));
  if (intent.kind === 'delegate' || intent.kind === 'undelegate') named.push(intent.receiver);
  return [...new Set([...named, ...declared])];
}

/** The amount a write moves: what role limits count, else the intent's own amount. */
export function amountOf(intent: TxIntent, spending?: { amountSun: Sun }): Sun {
  if (spending) return spending.amountSun;
  return 'amountSun' in intent ? intent.amountSun : 0n;
}
