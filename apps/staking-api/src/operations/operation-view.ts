import { sunToTrx } from '@app/common';
import type { OperationDto } from './dto/operation.dto.js';
import type { Operation } from './operation.types.js';

const trx = (sun?: string) => (sun === undefined ? undefined : sunToTrx(BigInt(sun)));

function resultOf(op: Operation): OperationDto['result'] {
  if (!op.result) return undefined;
  const r = op.result;
  const out = Object.fromEntries(
    Object.entries({
      withdraw_amount: trx(r.withdraw_amount_sun),
      withdraw_expire_amount: trx(r.withdraw_expire_amount_sun),
      cancelled_unfreeze: r.cancelled_unfreeze_sun
        ? {
            ENERGY: trx(r.cancelled_unfreeze_sun.ENERGY)!,
            BANDWIDTH: trx(r.cancelled_unfreeze_sun.BANDWIDTH)!,
          }
        : undefined,
    }).filter(([, v]) => v !== undefined),
  );
  return out;
}

function complianceOf(
  c: NonNullable<Operation['compliance']>,
): NonNullable<OperationDto['compliance']> {
  return {
    decision: c.outcome,
    reasons: c.reasons.map((r) => ({
      check: r.check,
      ...(r.code ? { code: r.code } : {}),
      detail: r.detail,
    })),
    risk_score: c.risk?.score ?? null,
    risk_band: c.risk?.band ?? null,
    factors: c.risk?.factors ?? {},
    decided_at: c.decided_at,
  };
}

/**
 * The wire view of an operation: TRX at the edge, never the signed blob. `headBlock` (the full
 * node's head, when known) gives the confirmations of an included transaction.
 */
export function toOperationDto(op: Operation, headBlock?: number): OperationDto {
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
    ...(op.block_number && headBlock !== undefined
      ? { confirmations: Math.max(0, headBlock - op.block_number) }
      : {}),
    ...(op.included_at ? { included_at: new Date(op.included_at).toISOString() } : {}),
    ...(op.confirmed_at ? { confirmed_at: new Date(op.confirmed_at).toISOString() } : {}),
    broadcast_attempts: op.broadcast_attempts ?? 0,
    ...(op.result ? { result: resultOf(op) } : {}),
    ...(op.fee_sun ? { fee_trx: sunToTrx(BigInt(op.fee_sun)) } : {}),
    ...(op.expiration ? { expiration: op.expiration } : {}),
    ...(op.error ? { error: { code: op.error.code, message: op.error.message } } : {}),
    ...(op.compliance ? { compliance: complianceOf(op.compliance) } : {}),
    history: op.history.map((h) => ({
      state: h.state,
      at: new Date(h.at).toISOString(),
      ...(h.note ? { note: h.note } : {}),
    })),
    created_at: new Date(op.created_at).toISOString(),
    updated_at: new Date(op.updated_at).toISOString(),
  };
}
