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
  /** This reason escalates the write to an approval (rather than blocking or only noting). */
  approval?: boolean;
}

/**
 * What an allowed write added to the monitoring windows (kept on its operation): enough to take
 * it back out when the write does not happen after all, and the new counterparties to remember
 * once it confirms.
 */
export interface CountedWrite {
  /** When it was counted (ms): names the window buckets. */
  at: number;
  amount_sun: string;
  /** acct:<address>, user:<kind>:<id>. */
  scopes: string[];
  owner: string;
  /** Receivers counted in the owner's hourly new-receiver window (the pattern rule). */
  new_receivers: string[];
  /** Counted in the owner's structuring window (an amount just under the alert amount). */
  near_threshold?: boolean;
  /** The structuring window's length when it was counted (names its bucket). */
  near_window_ms?: number;
  /** Counterparties this owner has no confirmed write with yet. */
  new_counterparties: string[];
}

export interface ComplianceDecision {
  outcome: 'allow' | 'approval_required';
  reasons: ComplianceReason[];
  risk?: { score: number; band: 'low' | 'medium' | 'high'; factors: Record<string, number> };
  decided_at: string;
  /** Set when the write was counted in the monitoring windows. */
  counted?: CountedWrite;
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
  /**
   * The decided write did not happen (refused later in the pipeline, parked for approval, a
   * twin won): its amount and receivers leave the monitoring windows. Never throws.
   */
  abstract release(decision: ComplianceDecision | undefined): Promise<void>;
  /**
   * Sanctions screening of addresses a standing arrangement will pay later (an energy policy's
   * receiver): throws S132 after an audit entry and an incident, like a write's decision.
   */
  abstract screenParties(input: {
    owner: string;
    kind: string;
    addresses: string[];
    ctx: WriteContext;
  }): Promise<void>;
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
