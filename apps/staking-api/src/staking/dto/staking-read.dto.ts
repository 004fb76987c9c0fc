import { ErrorCode, PaginationQueryDto, withCode } from '@app/common';
import { IsTronAddress, TRON_ADDRESS_PATTERN } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { RESOURCES } from './staking-write.dto.js';

export const STAKING_STATUSES = [
  'pending',
  'active',
  'expired',
  'inactive',
  'completed',
  'failed',
  'cancelled',
] as const;
export type StakingStatus = (typeof STAKING_STATUSES)[number];

export class StakingRecordDto {
  @ApiProperty({ example: '6f1e2d3c4b5a69788796a5b4c3d2e1f0' }) staking_id: string;
  @ApiProperty({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' }) address: string;
  @ApiProperty({ description: 'TRX.', example: 1000 }) amount: number;
  @ApiProperty({ description: 'Holding period, days.', example: 30 }) duration: number;
  @ApiProperty({ enum: RESOURCES, example: 'ENERGY' }) resource: string;
  @ApiProperty({
    enum: STAKING_STATUSES,
    example: 'active',
    description:
      "pending (transaction in flight) → active (frozen, holding) → expired (holding over, may be unstaked) → inactive (unfrozen, TRX in the chain's unfreeze delay) → completed (TRX withdrawn). failed / cancelled.",
  })
  status: string;
  @ApiProperty({ example: 'freeze' }) operation_type: string;
  @ApiProperty({ example: '0b7f7f8e-6a53-4a8f-9d7e-1c8a1c2f9f10' }) operation_id: string;
  @ApiPropertyOptional({ example: 'a3f1c9…' }) transaction_hash?: string;
  @ApiPropertyOptional({ example: 1234567 }) block_number?: number;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) created_at: string;
  @ApiPropertyOptional({
    description: 'When the holding period ends (chain time).',
    example: '2026-12-21T12:00:03.000Z',
  })
  expires_at?: string;
  @ApiPropertyOptional({ example: '2026-11-21T12:00:03.000Z' }) confirmed_at?: string;
  @ApiPropertyOptional({ example: '0c1d…' }) unstake_operation_id?: string;
  @ApiPropertyOptional({ example: 'b4e2…' }) unstake_transaction_hash?: string;
  @ApiPropertyOptional({
    description: 'When the unfrozen TRX can be withdrawn (chain time).',
    example: '2027-01-04T12:00:03.000Z',
  })
  unfreeze_available_at?: string;
  @ApiPropertyOptional({ example: '2027-01-04T12:05:00.000Z' }) withdrawn_at?: string;
  @ApiProperty({ description: 'Voting rewards attributed to this stake, TRX.', example: 0 })
  rewards_earned: number;
  @ApiPropertyOptional({ example: 'S201' }) error_code?: string;
  @ApiPropertyOptional({
    example: 'Contract validate error : frozenBalance must be less than or equal to accountBalance',
  })
  error_message?: string;
}

export class StakingWriteResponseDto extends StakingRecordDto {
  @ApiProperty({ description: 'State of the on-chain operation.', example: 'broadcast' })
  operation_state: string;
  @ApiProperty({ example: 'Transaction broadcast; it is confirmed in a few seconds.' })
  message: string;
  @ApiPropertyOptional({ description: 'Unsigned transaction to sign (mode "unsigned").' })
  transaction?: Record<string, unknown>;
}

export class ReleasedRecordDto {
  @ApiProperty({ example: '6f1e2d3c4b5a69788796a5b4c3d2e1f0' }) staking_id: string;
  @ApiProperty({ description: 'TRX of the record released by this operation.', example: 100 })
  amount: number;
  @ApiProperty({
    description:
      '"stake"/"freeze": a record whose holding period was over; "unfreeze": stake no record held before.',
    example: 'freeze',
  })
  operation_type: string;
}

/** POST /unfreeze and /cancel-unfreeze: the operation and the records it moves. */
export class UnfreezeResponseDto {
  @ApiProperty({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' }) address: string;
  @ApiPropertyOptional({ enum: RESOURCES, example: 'ENERGY' }) resource?: string;
  @ApiPropertyOptional({ description: 'TRX unfrozen.', example: 50 }) amount?: number;
  @ApiProperty({ example: '0b7f7f8e-6a53-4a8f-9d7e-1c8a1c2f9f10' }) operation_id: string;
  @ApiProperty({ description: 'State of the on-chain operation.', example: 'broadcast' })
  operation_state: string;
  @ApiPropertyOptional({ example: 'a3f1c9…' }) transaction_hash?: string;
  @ApiProperty({
    type: [ReleasedRecordDto],
    description:
      'Unfreeze: the records whose TRX this operation unfreezes (they turn inactive when it is confirmed, and the withdrawal job returns the TRX after the unfreeze delay). Cancel-unfreeze: the records it returns to frozen or withdraws.',
  })
  released_records: ReleasedRecordDto[];
  @ApiProperty({
    example: 'Transaction broadcast; it is final once the solidified chain passes its block.',
  })
  message: string;
  @ApiPropertyOptional({ description: 'Unsigned transaction to sign (mode "unsigned").' })
  transaction?: Record<string, unknown>;
}

export class StakingListResponseDto {
  @ApiProperty({ type: [StakingRecordDto] }) stakings: StakingRecordDto[];
  @ApiProperty({ example: 42 }) total_count: number;
  @ApiProperty({ example: 30 }) active_count: number;
  @ApiProperty({
    description: 'TRX in the listed filter that is staked (pending, active, expired).',
    example: 125000,
  })
  total_staked_trx: number;
  @ApiProperty({ example: 0 }) skip: number;
  @ApiProperty({ example: 100 }) limit: number;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) timestamp: string;
}

export class StakingStatsResponseDto {
  @ApiProperty({ example: 42 }) total_staking_records: number;
  @ApiProperty({ example: 30 }) active_staking_records: number;
  @ApiProperty({
    description: 'Records not currently staked (inactive, completed, failed, cancelled).',
    example: 12,
  })
  inactive_staking_records: number;
  @ApiProperty({ example: 125000 }) total_staked_trx: number;
  @ApiProperty({ description: 'TRX staked for bandwidth.', example: 25000 })
  total_bandwidth_resources: number;
  @ApiProperty({ description: 'TRX staked for energy.', example: 100000 })
  total_energy_resources: number;
  @ApiProperty({ example: 0 }) total_rewards_earned: number;
  @ApiProperty({
    example: {
      pending: 1,
      active: 29,
      expired: 1,
      inactive: 3,
      completed: 8,
      failed: 0,
      cancelled: 0,
    },
  })
  by_status: Record<string, number>;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) timestamp: string;
}

export class StakingHistoryResponseDto {
  @ApiProperty({ type: [StakingRecordDto] }) stakings: StakingRecordDto[];
  @ApiProperty({ example: 3 }) total_count: number;
  @ApiProperty({ example: '2026-11-01T00:00:00.000Z' }) start_date: string;
  @ApiProperty({ example: '2026-11-30T23:59:59.999Z' }) end_date: string;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) timestamp: string;
}

export class StakingListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  @IsOptional()
  @IsTronAddress()
  address?: string;

  @ApiPropertyOptional({ enum: STAKING_STATUSES })
  @IsOptional()
  @IsIn(STAKING_STATUSES)
  status?: StakingStatus;

  @ApiPropertyOptional({ enum: RESOURCES })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsIn(
    RESOURCES,
    withCode(ErrorCode.INVALID_RESOURCE_TYPE, 'resource must be ENERGY or BANDWIDTH'),
  )
  resource?: string;
}

export class StakingHistoryQueryDto extends StakingListQueryDto {
  @ApiPropertyOptional({
    description: 'ISO 8601; default 30 days before end_date.',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601(
    { strict: true },
    withCode(ErrorCode.INVALID_DATE_RANGE, 'start_date must be an ISO 8601 date'),
  )
  start_date?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; default now.', example: '2026-11-30T23:59:59Z' })
  @IsOptional()
  @IsISO8601(
    { strict: true },
    withCode(ErrorCode.INVALID_DATE_RANGE, 'end_date must be an ISO 8601 date'),
  )
  end_date?: string;
}

export class StakingIdParam {
  @ApiProperty({
    description: 'Staking record id: 32 lowercase hex characters.',
    pattern: '^[0-9a-f]{32}$',
    example: '3f2b8c0d9e7a41c6b5d4e3f2a1b0c9d8',
  })
  @Matches(
    /^[0-9a-f]{32}$/,
    withCode(ErrorCode.INVALID_STAKING_ID, 'staking_id must be 32 lowercase hex characters'),
  )
  staking_id: string;
}

export class AddressParam {
  @ApiProperty({
    description: 'TRON address: Base58 (T…) or 41-prefixed hex.',
    pattern: TRON_ADDRESS_PATTERN,
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;
}
