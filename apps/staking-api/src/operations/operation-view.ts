import { sunToTrx } from '@app/common';
import type { OperationDto } from './dto/operation.dto.js';
import type { Operation } from './operation.types.js';

/** The wire view of an operation: TRX at the edge, never the signed blob. */
export function toOperationDto(op: Operation): OperationDto {
  const { amount_sun, ...rest } = op.params;
  return {
    operation_id: op.id,
    kind: op.kind,
    state: op.state,
    mode: op.mode,
    owner_address: op.owner_address,
    params: { ...rest, ...(amount_sun ? { amount: sunToTrx(BigInt(amount_sun)) } : {}) },
    ...(op.subject ? { subject: `${op.subject.type}:${op.subject.id}` } : {}),
    ...(op.txid ? { transaction_hash: op.txid } : {}),
    ...(op.mode === 'unsigned' && op.state === 'built' && op.unsigned_tx
      ? { transaction: op.unsigned_tx as unknown as Record<string, unknown> }
      : {}),
    ...(op.block_number ? { block_number: op.block_number } : {}),
    ...(op.fee_sun ? { fee_trx: sunToTrx(BigInt(op.fee_sun)) } : {}),
    ...(op.expiration ? { expiration: op.expiration } : {}),
    ...(op.error ? { error: { code: op.error.code, message: op.error.message } } : {}),
    history: op.history.map((h) => ({
      state: h.state,
      at: new Date(h.at).toISOString(),
      ...(h.note ? { note: h.note } : {}),
    })),
    created_at: new Date(op.created_at).toISOString(),
    updated_at: new Date(op.updated_at).toISOString(),
  };
}
