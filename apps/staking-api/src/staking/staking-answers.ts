import { ErrorCode, StakingException, sunToTrx, type StakingErrorCode } from '@app/common';
import type { Operation } from '../operations/operation.types.js';
import type { StakingWriteResponseDto, UnfreezeResponseDto } from './dto/staking-read.dto.js';
import type { StakingRecord } from './staking-records.repository.js';
import { toStakingDto } from './staking-view.js';

const MESSAGES: Record<string, string> = {
  built:
    'Transaction built: sign its txID with the owner key and POST it to /api/v1/operations/{operation_id}/signature.',
  signed:
    'Transaction signed; the node could not be reached, it is re-sent automatically until it expires.',
  broadcast:
    'Transaction broadcast; it is final once the solidified chain passes its block (about a minute on mainnet).',
  confirmed: 'Transaction confirmed on the solidified chain.',
};

export const isUnsuccessful = (op: Operation) =>
  op.state === 'failed' || op.state === 'cancelled' || op.state === 'expired';

/** An operation that ended without reaching the chain answers with its own S-code. */
export function throwFailure(op: Operation, details: Record<string, unknown> = {}): never {
  throw new StakingException(
    (op.error?.code as StakingErrorCode | undefined) ?? ErrorCode.BROADCAST_FAILED,
    op.error?.message,
    {
      operation_id: op.id,
      ...(op.error?.node_code ? { node_code: op.error.node_code } : {}),
      ...details,
    },
  );
}

const operationPart = (op: Operation) => ({
  operation_state: op.state,
  message: MESSAGES[op.state] ?? `Operation ${op.state}.`,
  ...(op.mode === 'unsigned' && op.state === 'built'
    ? { transaction: op.unsigned_tx as unknown as Record<string, unknown> }
    : {}),
});

/** The answer of /stake, /freeze and /unstake: the record and where its operation stands. */
export function recordAnswer(record: StakingRecord, op: Operation): StakingWriteResponseDto {
  if (isUnsuccessful(op)) throwFailure(op, { staking_id: record.staking_id });
  return {
    ...toStakingDto(record),
    ...(op.txid
      ? { transaction_hash: record.operation_id === op.id ? op.txid : record.transaction_hash }
      : {}),
    operation_id: record.operation_id,
    ...(record.unstake_operation_id === op.id
      ? { unstake_operation_id: op.id, unstake_transaction_hash: op.txid }
      : {}),
    ...operationPart(op),
  };
}

/** The answer of /unfreeze and /cancel-unfreeze. */
export function unfreezeAnswer(op: Operation, released: StakingRecord[]): UnfreezeResponseDto {
  if (isUnsuccessful(op)) throwFailure(op);
  return {
    address: op.owner_address,
    ...(op.params.resource ? { resource: op.params.resource } : {}),
    ...(op.params.amount_sun ? { amount: sunToTrx(BigInt(op.params.amount_sun)) } : {}),
    operation_id: op.id,
    ...(op.txid ? { transaction_hash: op.txid } : {}),
    released_records: released.map((r) => ({
      staking_id: r.staking_id,
      amount: sunToTrx(BigInt(r.amount_sun)),
      operation_type: r.operation_type,
    })),
    ...operationPart(op),
  };
}
