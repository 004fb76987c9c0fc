import { DistributedLock, ErrorCode, StakingException } from '@app/common';
import {
  recoverSigner,
  TransactionSigner,
  TronGateway,
  type TronTransaction,
  type TxInfo,
  type TxIntent,
} from '@app/tron';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { intentOf, paramsOf } from './intent.js';
import { codeForRefusal } from './node-refusals.js';
import { OperationsRepository } from './operations.repository.js';
import { OPERATION_SETTLED, type OperationSettledEvent } from './operation-events.js';
import type { Operation, OperationActor, SigningMode } from './operation.types.js';

const scopeOf = (actor: OperationActor) => `${actor.kind}:${actor.id}`;

/** How long an outside signer has to return the signature of an unsigned transaction. */
export const UNSIGNED_EXPIRATION_SECONDS = 600;
const DRIVE_LOCK_TTL_MS = 60_000;
const WAIT_FOR_PEER_MS = 15_000;

export interface SubmitRequest {
  intent: TxIntent;
  mode: SigningMode;
  subject?: { type: string; id: string };
  actor: OperationActor;
  /** Client's Idempotency-Key; absent = a new operation every time. */
  idempotencyKey?: string;
  requestHash: string;
  requestId?: string;
}

/**
 * Drives on-chain operations through requested → built → signed → broadcast, persisting each
 * step before the next external call. Only the holder of the operation's lock advances it, and
 * every move is a conditional update, so replicas and retries never send a second transaction.
 */
@Injectable()
export class OperationsService {
  private readonly logger = new Logger('Operations');

  constructor(
    private readonly repo: OperationsRepository,
    private readonly gateway: TronGateway,
    private readonly signer: TransactionSigner,
    private readonly lock: DistributedLock,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Records the operation (or finds the one already holding this Idempotency-Key) without
   * touching the chain; `drive` then advances it. The key's unique index is the exactly-once gate.
   */
  async create(
    request: SubmitRequest,
    id: string = randomUUID(),
  ): Promise<{ operation: Operation; created: boolean }> {
    const scope = scopeOf(request.actor);
    const { operation, created } = await this.repo.createOrGet({
      id,
      kind: request.intent.kind,
      mode: request.mode,
      state: 'requested',
      params: paramsOf(request.intent),
      owner_address: request.intent.owner,
      subject: request.subject,
      idempotency_scope: scope,
      idempotency_key: request.idempotencyKey ?? id,
      request_hash: request.requestHash,
      requested_by: request.actor,
      request_id: request.requestId,
    });
    if (!created) this.assertSameRequest(operation, request.requestHash);
    return { operation, created };
  }

  /** The operation a repeated Idempotency-Key refers to, if any (refused when the body differs). */
  async findRepeat(
    actor: OperationActor,
    idempotencyKey: string | undefined,
    requestHash: string,
  ): Promise<Operation | null> {
    if (!idempotencyKey) return null;
    const op = await this.repo.findByIdempotencyKey(scopeOf(actor), idempotencyKey);
    if (op) this.assertSameRequest(op, requestHash);
    return op;
  }

  async cancel(op: Operation, note: string): Promise<void> {
    await this.repo.transition(op.id, ['requested'], 'cancelled', {}, note);
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

  /** Advances as far as it can go now; a peer holding the lock is waited for, not raced. */
  async drive(op: Operation): Promise<Operation> {
    // Re-sending stored signed bytes is idempotent on chain (same txid), so it needs no lock:
    // a replica that died holding the lock cannot stall the broadcast.
    if (op.state === 'signed') return this.broadcast(op);
    if (!['requested', 'approved', 'built'].includes(op.state)) return op;
    if (op.state === 'built' && op.mode === 'unsigned') return op;
    const outcome = await this.lock.runExclusive(
      `operation:${op.id}`,
      DRIVE_LOCK_TTL_MS,
      async () => this.advance((await this.repo.findById(op.id)) ?? op),
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
    const head = await this.gateway.getLatestBlock();
    if (op.expiration && head.timestamp >= op.expiration) {
      await this.repo.transition(
        op.id,
        ['built'],
        'expired',
        {},
        'signature arrived after expiration',
      );
      throw new StakingException(ErrorCode.TRANSACTION_EXPIRED, undefined, { operation_id: op.id });
    }
    const signed = await this.repo.transition(
      op.id,
      ['built'],
      'signed',
      { signed_tx: { ...tx, signature: signatures } },
      'signature verified',
    );
    if (!signed) return this.get(id);
    return this.drive(signed);
  }

  /** Applies a transaction's on-chain outcome (tracker and reconciliation). */
  async settle(op: Operation, info: TxInfo): Promise<Operation | null> {
    const settled = await this.repo.transition(
      op.id,
      ['signed', 'broadcast'],
      info.success ? 'confirmed' : 'failed',
      {
        block_number: info.blockNumber,
        block_timestamp: info.blockTimestamp,
        fee_sun: info.feeSun.toString(),
        result: {
          withdraw_amount_sun: info.withdrawAmountSun.toString(),
          withdraw_expire_amount_sun: info.withdrawExpireAmountSun.toString(),
        },
        ...(info.success
          ? {}
          : {
              error: {
                code: ErrorCode.BROADCAST_FAILED,
                message: info.failureReason ?? 'failed on chain',
              },
            }),
      },
      `in block ${info.blockNumber}`,
    );
    if (settled) await this.emitSettled(settled);
    return settled;
  }

  /** A transaction that can no longer reach the chain: failed, never re-signed silently. */
  async expire(op: Operation, headTimestamp: number): Promise<Operation | null> {
    const to = op.state === 'built' ? 'expired' : 'failed';
    const settled = await this.repo.transition(
      op.id,
      [op.state],
      to,
      {
        error: {
          code: ErrorCode.TRANSACTION_EXPIRED,
          message: `expired at ${op.expiration}; chain time ${headTimestamp}`,
        },
      },
      'expired before reaching a block',
    );
    if (settled) await this.emitSettled(settled);
    return settled;
  }

  /** Re-sends the stored bytes (same txid) of a signed operation. */
  rebroadcast(op: Operation): Promise<Operation> {
    return this.drive(op);
  }

  private async advance(op: Operation): Promise<Operation> {
    let current = op;
    if (current.state === 'requested' || current.state === 'approved') {
      const intent = intentOf(current.kind, current.params);
      let tx: TronTransaction;
      try {
        tx = await this.gateway.build(
          intent,
          current.mode === 'unsigned'
            ? { extendExpirationSeconds: UNSIGNED_EXPIRATION_SECONDS }
            : {},
        );
      } catch (error) {
        // A transaction that does not say what was asked is never retried into signing.
        if (error instanceof StakingException && error.code === ErrorCode.TRANSACTION_MISMATCH) {
          await this.repo.transition(
            current.id,
            [current.state],
            'failed',
            { error: { code: error.code, message: error.message } },
            'built transaction did not match',
          );
        }
        throw error;
      }
      const built = await this.repo.transition(
        current.id,
        [current.state],
        'built',
        { unsigned_tx: tx, txid: tx.txID, expiration: tx.raw_data.expiration },
        'verified against its intent',
      );
      if (!built) return (await this.repo.findById(current.id))!;
      current = built;
      if (current.mode === 'unsigned') return current;
    }
    if (current.state === 'built') {
      if (!(await this.signer.holdsKeyFor(current.owner_address))) {
        const failed = await this.repo.transition(current.id, ['built'], 'failed', {
          error: { code: ErrorCode.ACCOUNT_NOT_MANAGED, message: 'no managed key for the owner' },
        });
        return failed ?? (await this.repo.findById(current.id))!;
      }
      const signedTx = await this.signer.sign(current.unsigned_tx!, current.owner_address);
      // Persisted before broadcast: after a crash the same bytes are re-sent, never re-signed.
      const signed = await this.repo.transition(
        current.id,
        ['built'],
        'signed',
        { signed_tx: signedTx },
        'signed by keystore',
      );
      if (!signed) return (await this.repo.findById(current.id))!;
      current = signed;
    }
    if (current.state === 'signed') return this.broadcast(current);
    return current;
  }

  private async broadcast(op: Operation): Promise<Operation> {
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
          op.id,
          ['signed'],
          'broadcast',
          {},
          result.duplicate ? 'node already had it' : 'accepted by node',
        )) ?? (await this.get(op.id))
      );
    }
    const code = codeForRefusal(op.kind, result.code, result.message);
    const failed = await this.repo.transition(
      op.id,
      ['signed'],
      'failed',
      { error: { code, message: result.message ?? 'refused', node_code: result.code } },
      `refused: ${result.code}`,
    );
    if (failed) await this.emitSettled(failed);
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

  /** Waits for the listeners, so a settled operation's records are updated before the tick ends. */
  private async emitSettled(op: Operation): Promise<void> {
    const event: OperationSettledEvent = { operation: op };
    await this.events.emitAsync(OPERATION_SETTLED, event);
  }
}
