import { Injectable } from '@nestjs/common';
import type { Operation } from './operation.types.js';
import type { ComplianceDecision } from './write-compliance.js';
import type { WritePlan, WriteRequest } from './write-pipeline.js';

/**
 * What the approval gate decides for a planned write (under the owner lock, from fresh state):
 * `proceed` builds it now; `resume` builds the already-approved operation waiting in
 * `pending_approval`; `pending` means the gate parked it (the 202 answer is `answer`).
 */
export type GateDecision =
  | { kind: 'proceed' }
  | { kind: 'resume'; operation: Operation }
  | { kind: 'pending'; answer: Error };

/** The maker-checker step of the write pipeline (implemented by the approvals module). */
export interface ApprovalGate {
  /** `decision`: the compliance decision of this write, stored on the parked operation. */
  check(
    plan: WritePlan,
    request: WriteRequest,
    inFlight: Operation[],
    decision?: ComplianceDecision,
  ): Promise<GateDecision>;
  /**
   * For a step that runs before the gate (compliance): this write waits for approvers whatever
   * its amount, for `reason` (shown to them). Marks the plan; `check` then parks it.
   */
  requireApproval(plan: WritePlan, reason: string): void;
  /** A repeat (same Idempotency-Key) of a write still waiting: throws its 202 answer again. */
  repeatOf(operation: Operation): Promise<void>;
}

/**
 * The destination allow-list check of writes that send resources to a receiver (delegations,
 * energy-policy top-ups). An owner without any allow-list entry is unrestricted; with one, only
 * listed receivers past their cooling-off period are accepted. Refuses with its S-code (S550
 * not listed, S551 cooling off with details.active_from).
 */
export interface ReceiverGuard {
  assertAllowed(owner: string, receiver: string): Promise<void>;
}

/**
 * Where the approvals module plugs its gate and its allow-list check into the pipeline and the
 * areas (set at module init), so the operations and delegation modules do not depend on
 * approvals (which depends on them). No gate set: every write proceeds; no guard: every
 * receiver is accepted.
 */
@Injectable()
export class WriteGates {
  approval?: ApprovalGate;
  receivers?: ReceiverGuard;
}
