import type { SpendingReservation } from '@app/auth';
import { DistributedLock, ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import {
  recoverSigner,
  TransactionSigner,
  TronGateway,
  type TronTransaction,
  type TxIntent,
} from '@app/tron';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { intentOf, paramsOf } from './intent.js';
import { codeForRefusal } from './node-refusals.js';
import { OperationSettlement } from './operation-settlement.js';
import { OperationsRepository } from './operations.repository.js';
import type { ComplianceDecision } from './write-compliance.js';
import type {
  Operation,
  OperationActor,
  SigningMode,
  StoredReservation,
} from './operation.types.js';

export const scopeOf = (actor: Pick<OperationActor, 'kind' | 'id'>) => `${actor.kind}:${actor.id}`;

/** How long an outside signer has to return the signature of an unsigned transaction. */
export const UNSIGNED_EXPIRATION_SECONDS = 600;
const DRIVE_LOCK_TTL_MS = 60_000;
const WAIT_FOR_PEER_MS = 15_000;
const MAX_TXID_COLLISIONS = 100;

export interface SubmitRequest {
  intent: TxIntent;
  mode: SigningMode;
  subject?: { type: string; id: string };
  actor: OperationActor;
  /** Client's Idempotency-Key; absent = a new operation every time. */
  idempotencyKey?: string;
  requestHash: string;
  requestId?: string;
  /** The spending reservation this operation consumes; released if it ends off chain. */
  reservation?: SpendingReservation;
  /** `pending_approval`: parked by the approval gate, nothing to build until approved. */
  state?: 'requested' | 'pending_approval';
  /** The compliance decision that let the write through (reasons, risk score and factors). */
  compliance?: ComplianceDecision;
}

const storedReservation = (r: SpendingReservation): StoredReservation => ({
  id: r.id,
  key: r.key,
  amount_sun: r.amountSun.toString(),
  operation: r.operation,
  day: r.day,
  principal: { ...r.principal },
});

/** Errors that say the node (not the request) is at fault: nothing was built, a retry may work. */
const isTransient = (error: unknown) =>
  error instanceof StakingException && /^S9/.test(error.code) && error.code !== 'S904';

/**
 * Drives on-chain operations through requested → built → signed → broadcast, persisting each
 * step before the next external call. Only the holder of the operation's lock advances it, and
 * every move is a conditional update, so replicas and retries never send a second transaction.
 * Every end goes through OperationSettlement.
 */
@Injectable()
export class OperationsService {
  private readonly logger = new Logger('Operations');
  private readonly idempotencyTtlMs: number;

  constructor(
    private readonly repo: OperationsRepository,
    private readonly settlement: OperationSettlement,
    private readonly gateway: TronGateway,
    private readonly signer: TransactionSigner,
    private readonly lock: DistributedLock,
    policy: SecurityPolicy,
  ) {
    this.idempotencyTtlMs = policy.file.api_security.idempotency_key_ttl_hours * 3_600_000;
  }

  /**
   * Records the operation (or finds the one already holding this Idempotency-Key) without
   * touching the chain; `drive` then advances it. The key's unique index is the exactly-once gate.
   */
  async create(
    request: SubmitRequest,
    id: string = randomUUID(),
  ): Promise<{ operation: Operation; created: boolean }> {
    const scope = scopeOf(request.actor);
    const fields = {
      id,
      kind: request.intent.kind,
      mode: request.mode,
      state: request.state ?? ('requested' as const),
      params: paramsOf(request.intent),
      owner_address: request.intent.owner,
      subject: request.subject,
      idempotency_scope: scope,
      idempotency_key: request.idempotencyKey ?? id,
      ...(request.idempotencyKey
        ? { idempotency_expires_at: new Date(Date.now() + this.idempotencyTtlMs) }
        : {}),
      request_hash: request.requestHash,
      requested_by: request.actor,
      request_id: request.requestId,
      ...(request.reservation ? { reservation: storedReservation(request.reservation) } : {}),
      ...(request.compliance ? { compliance: { ...request.compliance } } : {}),
    };
    let result = await this.repo.createOrGet(fields);
    if (!result.created && (await this.releaseIfExpired(result.operation))) {
      result = await this.repo.createOrGet(fields);
    }
    if (!result.created) this.assertSameRequest(result.operation, request.requestHash);
    return result;
  }

  /** The operation a repeated Idempotency-Key refers to, if any (refused when the body differs). */
  async findRepeat(
    actor: Pick<OperationActor, 'kind' | 'id'>,
    idempotencyKey: string | undefined,
    requestHash: string,
  ): Promise<Operation | null> {
    if (!idempotencyKey) return null;
    const op = await this.repo.findByIdempotencyKey(scopeOf(actor), idempotencyKey);
    if (!op || (await this.releaseIfExpired(op))) return null;
    this.assertSameRequest(op, requestHash);
    return op;
  }

  /** A key past its TTL names nothing any more: a repeat after that is a new request. */
  private async releaseIfExpired(op: Operation): Promise<boolean> {
    if (!op.idempotency_expires_at || new Date(op.idempotency_expires_at) > new Date())
      return false;
    await this.repo.releaseIdempotencyKey(op.id, op.idempotency_key);
    return true;
  }

  /** Ends an operation that never reached the chain (its record could not be written, …). */
  async cancel(op: Operation, note: string): Promise<Operation | null> {
    return this.settlement.finish(op, ['requested', 'approved', 'built'], 'cancelled', {}, note);
  }

  /**
   * Approval reached and re-checked: pending_approval → approved with its reservation and the
   * re-planned subject (the area's record is written for it now).
   */
  async approve(
    op: Operation,
    subject: { type: string; id: string },
    reservation?: SpendingReservation,
    compliance?: ComplianceDecision,
  ): Promise<Operation | null> {
    return this.repo.transition(
      op,
      ['pending_approval'],
      'approved',
      {
        subject,
        ...(reservation ? { reservation: storedReservation(reservation) } : {}),
        // The decision taken on the re-plan: what the resumed write was counted with.
        ...(compliance ? { compliance: { ...compliance } } : {}),
      },
      'approved',
    );
  }

  /** Ends an operation whose approval was rejected (cancelled) or ran out of time (expired). */
  async endPending(op: Operation, to: 'cancelled' | 'expired', note: string) {
    return this.settlement.finish(op, ['pending_approval'], to, {}, note);
  }

  private assertSameRequest(op: Operation, requestHash: string): void {
    if (op.request_hash !== requestHash) {
      throw new StakingException(ErrorCode.IDEMPOTENCY_KEY_MISMATCH, undefined, {
        operation_id: op.id,
      });
    }
  }

  async get(id: string): Promise<Operation> {
    const op = await this.repo.findById(id);
    if (!op)
      throw new StakingException(ErrorCode.OPERATION_NOT_FOUND, undefined, { operation_id: id });
    return op;
  }

  /**
   * Advances as far as it can go now; a peer holding the lock is waited for, not raced.
   * `openTxids`: the txids of the owner's other open operations, when the caller read them under
   * the owner lock (the write pipeline), so a build need not ask the database for collisions.
   */
  async drive(op: Operation, openTxids?: ReadonlySet<string>): Promise<Operation> {
    // Re-sending stored signed bytes is idempotent on chain (same txid), so it needs no lock:
    // a replica that died holding the lock cannot stall the broadcast.
    if (op.state === 'signed') return this.broadcast(op);
    if (!['requested', 'approved', 'built'].includes(op.state)) return op;
    if (op.state === 'built' && op.mode === 'unsigned') return op;
    const outcome = await this.lock.runExclusive(
      `operation:${op.id}`,
      DRIVE_LOCK_TTL_MS,
      async () => this.advance((await this.repo.findById(op.id)) ?? op, openTxids),
    );
    if (outcome.ran) return outcome.result;
    return this.waitForPeer(op.id);
  }

  /** Non-custodial path: verify the outside signature recovers to the owner, then broadcast. */
  async submitSignature(id: string, signatures: string[]): Promise<Operation> {
    const op = await this.get(id);
    if (op.mode !== 'unsigned')
      throw new StakingException(
        ErrorCode.INVALID_STATE_TRANSITION,
        'This operation is signed by the service.',
      );
    if (op.state !== 'built') {
      if (
        ['signed', 'broadcast', 'confirmed'].includes(op.state) &&
        op.signed_tx?.signature?.[0] === signatures[0]
      )
        return op;
      throw new StakingException(
        ErrorCode.INVALID_STATE_TRANSITION,
        `The operation is ${op.state}.`,
        { state: op.state },
      );
    }
    const tx = op.unsigned_tx!;
    const signers = signatures.map((s) => recoverSigner(tx.txID, s));
    if (signatures.length !== 1 || signers[0] !== op.owner_address) {
      throw new StakingException(ErrorCode.SIGNATURE_INVALID, undefined, {
        expected_signer: op.owner_address,
        recovered: signers,
      });
    }
    // The node refuses an expired transaction; the tracker ends the operation once that is final.
    const head = await this.gateway.getLatestBlock();
    if (op.expiration && head.timestamp >= op.expiration) {
      throw new StakingException(ErrorCode.TRANSACTION_EXPIRED, undefined, { operation_id: op.id });
    }
    const signed = await this.repo.transition(
      op,
      ['built'],
      'signed',
      { signed_tx: { ...tx, signature: signatures } },
      'signature verified',
    );
    if (!signed) return this.get(id);
    return this.drive(signed);
  }

  private async advance(op: Operation, openTxids?: ReadonlySet<string>): Promise<Operation> {
    let current = op;
    if (current.state === 'requested' || current.state === 'approved') {
      const built = await this.build(current, openTxids);
      if (!built) return (await this.repo.findById(current.id))!;
      current = built;
      if (current.mode === 'unsigned') return current;
    }
    if (current.state === 'built') {
      const signed = await this.sign(current);
      if (!signed) return (await this.repo.findById(current.id))!;
      current = signed;
    }
    if (current.state === 'signed') return this.broadcast(current);
    return current;
  }

  private async build(op: Operation, openTxids?: ReadonlySet<string>): Promise<Operation | null> {
    const intent = intentOf(op.kind, op.params);
    let tx: TronTransaction;
    try {
      tx = await this.buildUnique(op, intent, openTxids);
    } catch (error) {
      // A transaction that does not say what was asked is never retried into signing.
      if (error instanceof StakingException && error.code === ErrorCode.TRANSACTION_MISMATCH) {
        await this.settlement.finish(
          op,
          [op.state],
          'failed',
          { error: { code: error.code, message: error.message } },
          'built transaction did not match',
        );
      } else if (op.state === 'requested') {
        // Nothing was built, so nothing can reach the chain: end it with the reason. When the
        // node was at fault, free the key too, so the client's retry with the same
        // Idempotency-Key starts afresh once the node is back.
        const transient = isTransient(error);
        const code =
          error instanceof StakingException ? error.code : ErrorCode.TRANSACTION_BUILD_FAILED;
        const failed = await this.settlement.finish(
          op,
          ['requested'],
          'failed',
          { error: { code, message: transient ? 'node unavailable' : (error as Error).message } },
          'no transaction was built; nothing was sent',
        );
        if (failed && transient) await this.repo.releaseIdempotencyKey(op.id, op.idempotency_key);
      }
      throw error;
    }
    return this.repo.transition(
      op,
      [op.state],
      'built',
      { unsigned_tx: tx, txid: tx.txID, expiration: tx.raw_data.expiration },
      'verified against its intent',
    );
  }

  /**
   * tronweb stamps a transaction with its reference block's time, so the same intent twice on
   * one block is the same txid, and the node would count the second as a duplicate of the first:
   * one freeze on chain, two records. Writes of one owner are serialised by the pipeline's owner
   * lock, so checking for an operation with the same txid here is enough to keep them apart.
   * A twin can only be an open operation (a terminal one was built on an older reference block),
   * so the owner's open txids, when given, answer without a query.
   */
  private async buildUnique(
    op: Operation,
    intent: TxIntent,
    openTxids?: ReadonlySet<string>,
  ): Promise<TronTransaction> {
    const extend = op.mode === 'unsigned' ? UNSIGNED_EXPIRATION_SECONDS : undefined;
    for (let offset = 0; ; offset++) {
      const tx = await this.gateway.build(intent, {
        extendExpirationSeconds: extend,
        timestampOffsetMs: offset,
      });
      const taken = openTxids
        ? openTxids.has(tx.txID)
        : await this.repo.findOtherWithTxid(tx.txID, op.id);
      if (!taken) return tx;
      if (offset >= MAX_TXID_COLLISIONS)
        throw new StakingException(
          ErrorCode.TRANSACTION_BUILD_FAILED,
          'Could not build a transaction distinct from earlier identical ones.',
        );
    }
  }

  /** Custodial signing; the signed bytes are persisted before any broadcast. */
  private async sign(op: Operation): Promise<Operation | null> {
    if (!(await this.signer.holdsKeyFor(op.owner_address))) {
      return this.settlement.finish(op, ['built'], 'failed', {
        error: { code: ErrorCode.ACCOUNT_NOT_MANAGED, message: 'no managed key for the owner' },
      });
    }
    const signedTx = await this.signer.sign(op.unsigned_tx!, op.owner_address);
    // After a crash the same bytes are re-sent, never re-signed.
    return this.repo.transition(
      op,
      ['built'],
      'signed',
      { signed_tx: signedTx },
      'signed by keystore',
    );
  }

  /** Sends the stored signed bytes (same txid every time). */
  async broadcast(op: Operation): Promise<Operation> {
    await this.repo.recordBroadcastAttempt(op.id);
    let result;
    try {
      result = await this.gateway.broadcast(op.signed_tx as TronTransaction);
    } catch (error) {
      // The node is unreachable: the operation stays signed and the tracker re-sends it.
      this.logger.warn(
        { operation_id: op.id, err: (error as Error).message },
        'Broadcast deferred',
      );
      return op;
    }
    if (result.accepted) {
      return (
        (await this.repo.transition(
          op,
          ['signed'],
          'broadcast',
          {},
          result.duplicate ? 'node already had it' : 'accepted by node',
        )) ?? (await this.get(op.id))
      );
    }
    const code = codeForRefusal(op.kind, result.code, result.message);
    const failed = await this.settlement.finish(
      op,
      ['signed'],
      'failed',
      { error: { code, message: result.message ?? 'refused', node_code: result.code } },
      `refused: ${result.code}`,
    );
    return failed ?? (await this.get(op.id));
  }

  private async waitForPeer(id: string): Promise<Operation> {
    const deadline = Date.now() + WAIT_FOR_PEER_MS;
    let op = await this.get(id);
    while (
      ['requested', 'approved', 'built'].includes(op.state) &&
      !(op.state === 'built' && op.mode === 'unsigned') &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
      op = await this.get(id);
    }
    return op;
  }
}
