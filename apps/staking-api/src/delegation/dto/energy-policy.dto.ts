import { ErrorCode, IsTrxAmount, withCode } from '@app/common';
import { IsTronAddress, TRON_ADDRESS_PATTERN } from '@app/tron';
import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { RESOURCES, type ResourceName } from '../../staking/dto/staking-write.dto.js';

const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;
const invalid = (message: string) => withCode(ErrorCode.ENERGY_POLICY_INVALID, message);
// Units are energy or bandwidth points; a day's mainnet total is ~1.8e11 energy.
const MAX_UNITS = 1e15;

export class CreateEnergyPolicyDto {
  @ApiProperty({
    description: 'Managed account whose frozen stake is delegated.',
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  pool_address: string;

  @ApiProperty({
    description: 'Address kept powered (a hot or payment wallet).',
    example: 'TKSXDA8HfE9E1y39RczVQ1ZascUEtaSToF',
  })
  @IsTronAddress()
  receiver_address: string;

  @ApiProperty({ enum: RESOURCES, description: 'Case-insensitive.', example: 'ENERGY' })
  @Transform(upper)
  @IsIn(
    RESOURCES,
    withCode(ErrorCode.INVALID_RESOURCE_TYPE, 'resource must be ENERGY or BANDWIDTH'),
  )
  resource: ResourceName;

  @ApiProperty({
    type: 'integer',
    description: 'Floor of available energy (or bandwidth): below it the job tops up.',
    example: 65000,
  })
  @IsInt(invalid('min_available must be a whole number'))
  @Min(0, invalid('min_available must not be negative'))
  @Max(MAX_UNITS, invalid('min_available is too large'))
  min_available: number;

  @ApiProperty({
    type: 'integer',
    description: 'Available energy (or bandwidth) a top-up brings the receiver back to.',
    example: 130000,
  })
  @IsInt(invalid('target_available must be a whole number'))
  @Min(1, invalid('target_available must be positive'))
  @Max(MAX_UNITS, invalid('target_available is too large'))
  target_available: number;

  @ApiProperty({
    description: 'Most TRX of stake the pool may have delegated to this receiver.',
    example: 20000,
    oneOf: [{ type: 'number' }, { type: 'string' }],
  })
  @IsTrxAmount()
  max_delegated_trx: number | string;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Lock each top-up for this many blocks of 3 s (0 or absent: unlocked).',
    example: 0,
  })
  @IsOptional()
  @IsInt(withCode(ErrorCode.INVALID_LOCK_PERIOD, 'lock_period must be a whole number of blocks'))
  @Min(0, withCode(ErrorCode.INVALID_LOCK_PERIOD, 'lock_period must not be negative'))
  @Max(1e9, withCode(ErrorCode.INVALID_LOCK_PERIOD, 'lock_period is out of range'))
  lock_period?: number;

  @ApiPropertyOptional({
    type: 'integer',
    description:
      'Take the delegation back once the receiver used nothing for this many hours (not before its lock ends). Absent: never.',
    example: 72,
  })
  @IsOptional()
  @IsInt(invalid('reclaim_idle_hours must be a whole number of hours'))
  @Min(1, invalid('reclaim_idle_hours must be at least 1'))
  @Max(24 * 366, invalid('reclaim_idle_hours must be at most a year'))
  reclaim_idle_hours?: number;

  @ApiProperty({ description: 'Whether the job applies the policy.', example: true })
  @IsBoolean()
  enabled: boolean;
}

export class UpdateEnergyPolicyDto extends PartialType(
  PickType(CreateEnergyPolicyDto, [
    'min_available',
    'target_available',
    'max_delegated_trx',
    'lock_period',
    'reclaim_idle_hours',
    'enabled',
  ] as const),
) {}

export class PolicyIdParam {
  @ApiProperty({
    description: 'Policy id (32 lowercase hex).',
    pattern: '^[0-9a-f]{32}$',
    example: '6f1e2d3c4b5a69788796a5b4c3d2e1f0',
  })
  @Matches(/^[0-9a-f]{32}$/, withCode(ErrorCode.ENERGY_POLICY_NOT_FOUND, 'no such policy id'))
  id: string;
}

export class EnergyPolicyListQueryDto {
  @ApiPropertyOptional({
    description: 'Only the policies of this pool.',
    pattern: TRON_ADDRESS_PATTERN,
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsOptional()
  @IsTronAddress()
  pool_address?: string;
}

export class EnergyPolicyStateDto {
  @ApiPropertyOptional({ example: '4c2c6d2e-4b46-4bb8-9df3-7f6c0e3d1a55' })
  pending_operation_id?: string;
  @ApiProperty({ type: 'integer', description: 'Actions taken so far.', example: 3 })
  actions: number;
  @ApiPropertyOptional({
    description: 'Last time the receiver was seen using resources (chain time).',
    example: '2026-12-02T12:00:00.000Z',
  })
  last_activity_at?: string;
  @ApiProperty({
    description: 'True after an idle reclaim, until the receiver is active again.',
    example: false,
  })
  dormant: boolean;
  @ApiPropertyOptional({
    description: 'Since when the pool cannot cover a top-up.',
    example: '2026-12-02T12:00:00.000Z',
  })
  pool_dry_since?: string;
  @ApiPropertyOptional({ description: 'What the last tick did.', example: 'topped_up' })
  last_outcome?: string;
  @ApiPropertyOptional({ example: '2026-12-02T12:00:00.000Z' }) last_checked_at?: string;
}

export class EnergyPolicyDto {
  @ApiProperty({ example: '6f1e2d3c4b5a69788796a5b4c3d2e1f0' }) id: string;
  @ApiProperty({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' }) pool_address: string;
  @ApiProperty({ example: 'TKSXDA8HfE9E1y39RczVQ1ZascUEtaSToF' }) receiver_address: string;
  @ApiProperty({ enum: RESOURCES, example: 'ENERGY' }) resource: string;
  @ApiProperty({ type: 'integer', example: 65000 }) min_available: number;
  @ApiProperty({ type: 'integer', example: 130000 }) target_available: number;
  @ApiProperty({ example: 20000 }) max_delegated_trx: number;
  @ApiProperty({ type: 'integer', example: 0 }) lock_period: number;
  @ApiPropertyOptional({ type: 'integer', example: 72 }) reclaim_idle_hours?: number;
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiProperty({ type: EnergyPolicyStateDto }) state: EnergyPolicyStateDto;
  @ApiProperty({ example: '2026-12-02T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-12-02T12:00:00.000Z' }) updated_at: string;
}

export class EnergyPolicyListDto {
  @ApiProperty({ type: [EnergyPolicyDto] }) policies: EnergyPolicyDto[];
  @ApiProperty({ type: 'integer', example: 1 }) count: number;
}
