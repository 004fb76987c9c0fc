import { sunToTrx } from '@app/common';
import type { StakingRecordDto } from './dto/staking-read.dto.js';
import type { StakingRecord } from './staking-records.repository.js';

const iso = (d?: Date) => (d ? new Date(d).toISOString() : undefined);

/** A staking record on the wire: TRX at the edge, dates as ISO 8601. */
export function toStakingDto(r: StakingRecord): StakingRecordDto {
  const dto: StakingRecordDto = {
    staking_id: r.staking_id,
    address: r.address,
    amount: sunToTrx(BigInt(r.amount_sun)),
    duration: r.duration_days,
    resource: r.resource,
    status: r.status,
    operation_type: r.operation_type,
    operation_id: r.operation_id,
    transaction_hash: r.transaction_hash,
    block_number: r.block_number,
    created_at: iso(r.created_at)!,
    expires_at: iso(r.expires_at),
    confirmed_at: iso(r.confirmed_at),
    unstake_operation_id: r.unstake_operation_id,
    unstake_transaction_hash: r.unstake_transaction_hash,
    unfreeze_available_at: iso(r.unfreeze_available_at),
    withdrawn_at: iso(r.withdrawn_at),
    rewards_earned: sunToTrx(BigInt(r.rewards_earned_sun ?? 0)),
    error_code: r.error_code,
    error_message: r.error_message,
  };
  return Object.fromEntries(
    Object.entries(dto).filter(([, v]) => v !== undefined),
  ) as unknown as StakingRecordDto;
}
