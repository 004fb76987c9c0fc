import { SpendingLimits, type SpendingReservation } from '@app/auth';
import {
  DistributedLock,
  ErrorCode,
  StakingException,
  type LockHandle,
  type Sun,
} from '@app/common';
import { TransactionSigner, type TxIntent } from '@app/tron';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { WriteGates } from './approval-gate.js';
import { OperationsRepository } from './operations.repository.js';
import { OperationsService } from './operations.service.js';
import { NOT_ON_CHAIN_STATES, type Operation, type SigningMode } from './operation.types.js';
import type { WriteContext } from './write-context.js';
import {
  amountOf,
  counterpartiesOf,
  WriteCompliance,
  type ComplianceDecision,
} from './write-compliance.js';

/** What a business area decides, under the owner lock, from fresh chain and DB state. */
export interface WritePlan {
  intent: TxIntent;
  subject: { type: string; id: string };
  /** The amount the caller's role limits count (per operation and per day). */
  spending?: { amountSun: Sun; operation: string };
  /**
   * Every address this write pays, votes for or delegates to, screened by the compliance
   * decision (the owner and the addresses the intent names are always added).
   */
  counterparties?: string[];
  /**
   * APPROVALS: how the approval gate finds the policy rule (approval_workflows) of a write. By
   * default from `spending` (its `operation` against a rule's `operations`, its amount against
   * `threshold_trx`); set this to name the rule and amount explicitly (a vote: `votes` against
   * `threshold_votes`; a delegation: `{ rule: 'large_delegation', amountSun }`).
   */
  approval?: { rule: string; votes?: number; amountSun?: Sun };
  /**
   * Reasons another step (compliance: a high risk score) requires approval whatever the amount;
   * set through `ApprovalGate.requireApproval` (policy rule `compliance_review`).
   */
  approvalRequired?: string[];
  /**
   * Writes the area's record(s) for the new operation, still under the owner lock, so the next
   * request's checks see them. A throw cancels the operation (nothing is built).
   */
  record?(operation: Operation): Promise<void>;
}

export interface WriteRequest {
  owner: string;
  mode: SigningMode;
  ctx: WriteContext;
  /**
   * The area's prechecks; throws its S-code to refuse. `inFlight` are the owner's open
   * operations the node does not show yet (requested, built, signed…): their effect must be
   * counted as if it had happened.
   */
  plan(inFlight: Operation[]): Promise<WritePlan>;
}

export interface WriteOutcome {
  operation: Operation;
  /** True when the Idempotency-Key named an earlier operation: nothing new was created. */
  repeated: boolean;
}

// The owner lock covers checks → operation → build → sign → broadcast (a few node round trips);
// renewed while held, so a slow node never lets a second request in early.
const OWNER_LOCK_TTL_MS = 15_000;
const OWNER_LOCK_WAIT_MS = 10_000;
const OWNER_LOCK_POLL_MS = 25;

/**
 * The one write pipeline every on-chain write of every area goes through: repeat detection,
 * the per-owner lock around prechecks → spending reservation → operation and record → build →
 * verify → sign → broadcast, and settlement of every failure. Two requests for one owner can
 * never both pass a balance, TRON power or holding-period check.
 */
@Injectable()
export class WritePipeline {
  private readonly logger = new Logger('WritePipeline');

  constructor(
    private readonly operations: OperationsService,
    private readonly repo: OperationsRepository,
    private readonly lock: DistributedLock,
    private readonly limits: SpendingLimits,
    private readonly signer: TransactionSigner,
    private readonly gates: WriteGates,
    @Optional() private readonly compliance?: WriteCompliance,
  ) {}

  async submit(request: WriteRequest): Promise<WriteOutcome> {
    const { ctx } = request;
    // An approved write resuming (ctx.resume) is the repeat of its own request: it must re-plan.
    const repeat = ctx.resume
      ? null
      : await this.operations.findRepeat(ctx.actor, ctx.idempotencyKey, ctx.requestHash);
    if (repeat?.state === 'pending_approval') await this.gates.approval?.repeatOf(repeat);
    if (repeat) return { operation: await this.operations.drive(repeat), repeated: true };
    if (request.mode === 'custodial' && !(await this.signer.holdsKeyFor(request.owner))) {
      throw new StakingException(ErrorCode.ACCOUNT_NOT_MANAGED, undefined, {
        address: request.owner,
      });
    }
    return this.underOwnerLock(request.owner, () => this.createAndDrive(request));
  }

  private async createAndDrive(request: WriteRequest): Promise<WriteOutcome> {
    const { ctx } = request;
    // A twin with the same key may have finished while this one waited for the lock.
    const twin = ctx.resume
      ? null
      : await this.operations.findRepeat(ctx.actor, ctx.idempotencyKey, ctx.requestHash);
    if (twin?.state === 'pending_approval') await this.gates.approval?.repeatOf(twin);
    if (twin) return { operation: await this.operations.drive(twin), repeated: true };

    const open = await this.repo.findOpenFor(request.owner);
    const inFlight = open.filter(
      (op) => NOT_ON_CHAIN_STATES.includes(op.state) && op.id !== ctx.resume?.operationId,
    );
    const plan = await request.plan(inFlight);
    // THE compliance decision: blocks by throwing its S-code; nothing is reserved or created yet.
    // "Approval required" (a medium risk score, a PEP) hands the write to the approval gate.
    const decision = await this.compliance?.decide({
      owner: request.owner,
      intent: plan.intent,
      counterparties: counterpartiesOf(plan.intent, plan.counterparties),
      amountSun: amountOf(plan.intent, plan.spending),
      ctx,
    });
    // The decision counted the write in the monitoring windows; a write that does not go ahead
    // from here (parked for approval, refused by a limit, a twin won) is taken back out. Once an
    // operation exists, its settlement does that if it ends off chain.
    const track = { owned: false };
    try {
      const outcome = await this.afterDecision(request, plan, decision, inFlight, open, track);
      if (!track.owned) await this.compliance?.release(decision);
      return outcome;
    } catch (error) {
      if (!track.owned) await this.compliance?.release(decision);
      throw error;
    }
  }

  /** From the decision on: approval gate, reservation, operation and record, drive. */
  private async afterDecision(
    request: WriteRequest,
    plan: WritePlan,
    decision: ComplianceDecision | undefined,
    inFlight: Operation[],
    open: Operation[],
    /** Set once an operation carries the count (its settlement releases it from then on). */
    track: { owned: boolean },
  ): Promise<WriteOutcome> {
    const { ctx } = request;
    if (decision?.outcome === 'approval_required')
      for (const reason of decision.reasons)
        this.gates.approval?.requireApproval(plan, `${reason.check}: ${reason.detail}`);
    // >>> APPROVAL GATE (issue 14): over a threshold, or flagged by compliance → parked as
    // pending_approval (202), nothing reserved or built; an approved one resumes its operation.
    const gate = (await this.gates.approval?.check(plan, request, inFlight, decision)) ?? {
      kind: 'proceed',
    };
    if (gate.kind === 'pending') throw gate.answer;
    if (gate.kind === 'resume')
      return this.resumeApproved(gate.operation, plan, request, open, decision, track);
    // <<< APPROVAL GATE
    const reservation =
      plan.spending && ctx.principal
        ? await this.limits.reserve(ctx.principal, plan.spending.amountSun, plan.spending.operation)
        : undefined;
    let operation: Operation;
    try {
      const created = await this.operations.create(
        {
          intent: plan.intent,
          mode: request.mode,
          subject: plan.subject,
          actor: ctx.actor,
          idempotencyKey: ctx.idempotencyKey,
          requestHash: ctx.requestHash,
          requestId: ctx.requestId,
          reservation,
          compliance: decision,
        },
        randomUUID(),
      );
      if (!created.created) {
        await this.release(reservation);
        return { operation: await this.operations.drive(created.operation), repeated: true };
      }
      operation = created.operation;
      track.owned = true;
    } catch (error) {
      await this.release(reservation);
      throw error;
    }
    try {
      await plan.record?.(operation);
    } catch (error) {
      // Settlement of the cancel releases the reservation.
      await this.operations.cancel(operation, 'its record could not be written');
      throw error;
    }
    const openTxids = new Set(open.flatMap((op) => (op.txid ? [op.txid] : [])));
    return { operation: await this.operations.drive(operation, openTxids), repeated: false };
  }

  /** The approved operation, re-planned on fresh state: reserve, record, build as any write. */
  private async resumeApproved(
    pending: Operation,
    plan: WritePlan,
    request: WriteRequest,
    open: Operation[],
    decision: ComplianceDecision | undefined,
    track: { owned: boolean },
  ): Promise<WriteOutcome> {
    const { ctx } = request;
    const reservation =
      plan.spending && ctx.principal
        ? await this.limits.reserve(ctx.principal, plan.spending.amountSun, plan.spending.operation)
        : undefined;
    const operation = await this.operations
      .approve(pending, plan.subject, reservation, decision)
      .catch(async (error) => {
        await this.release(reservation);
        throw error;
      });
    if (!operation) {
      // Another replica resumed it first: it owns the reservation, the count and the build.
      await this.release(reservation);
      return { operation: await this.operations.get(pending.id), repeated: true };
    }
    track.owned = true;
    try {
      await plan.record?.(operation);
    } catch (error) {
      await this.operations.cancel(operation, 'its record could not be written');
      throw error;
    }
    const openTxids = new Set(open.flatMap((op) => (op.txid ? [op.txid] : [])));
    return { operation: await this.operations.drive(operation, openTxids), repeated: false };
  }

  private async release(reservation: SpendingReservation | undefined): Promise<void> {
    if (reservation) await this.limits.release(reservation);
  }

  /** Waits a bounded time for the owner's lock, renews it while `work` runs, fails closed. */
  private async underOwnerLock<T>(owner: string, work: () => Promise<T>): Promise<T> {
    const name = `owner:${owner}`;
    const deadline = Date.now() + OWNER_LOCK_WAIT_MS;
    let lease: LockHandle | null;
    for (;;) {
      try {
        lease = await this.lock.acquire(name, OWNER_LOCK_TTL_MS);
      } catch {
        // No Redis, no lock, no write: a check that nothing serialises is not a check.
        throw new StakingException(ErrorCode.CACHE_UNAVAILABLE);
      }
      if (lease) break;
      if (Date.now() > deadline) {
        throw new StakingException(
          ErrorCode.LOCK_NOT_ACQUIRED,
          'Another write for this address is in progress.',
          { address: owner },
        );
      }
      await new Promise((r) => setTimeout(r, OWNER_LOCK_POLL_MS));
    }
    const held = lease;
    const renewal = setInterval(() => {
      held.extend(OWNER_LOCK_TTL_MS).then(
        (kept) => {
          if (!kept) this.logger.warn({ owner }, 'Owner lock lost before the write finished');
        },
        (error: unknown) => {
          this.logger.warn({ err: (error as Error).message, owner }, 'Owner lock renewal failed');
        },
      );
    }, OWNER_LOCK_TTL_MS / 3);
    renewal.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await held.release().catch(() => false);
    }
  }
}
