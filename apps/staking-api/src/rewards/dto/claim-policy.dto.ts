import { ErrorCode, IsTrxAmount, withCode } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { RESOURCES, type ResourceName } from '../../staking/dto/staking-write.dto.js';

const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;

export class CompoundDto {
  @ApiProperty({
    enum: RESOURCES,
    description: 'Resource the claimed TRX is frozen for after each claim (case-insensitive).',
    example: 'ENERGY',
  })
  @Transform(upper)
  @IsIn(
    RESOURCES,
    withCode(ErrorCode.INVALID_RESOURCE_TYPE, 'resource must be ENERGY or BANDWIDTH'),
  )
  resource: ResourceName;
}

/** PUT /accounts/{address}/claim-policy. */
export class ClaimPolicyRequestDto {
  @ApiProperty({
    description: 'Whether the claim-policy job claims for this account.',
    example: true,
  })
  @IsBoolean(withCode(ErrorCode.VALIDATION_FAILED, 'enabled must be true or false'))
  enabled: boolean;

  @ApiProperty({
    description:
      'The job claims only when the unclaimed reward is at least this many TRX (range from the security policy, rewards.claim_policy.min_reward_trx).',
    example: 10,
    oneOf: [{ type: 'number' }, { type: 'string' }],
  })
  @IsTrxAmount()
  min_reward_trx: number | string;

  @ApiPropertyOptional({
    type: CompoundDto,
    description:
      'Compounding: after each confirmed claim, freeze the claimed TRX for this resource (an ordinary freeze with its own staking record).',
    example: { resource: 'ENERGY' },
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CompoundDto)
  compound?: CompoundDto;
}

export class ClaimPolicyDto {
  @ApiProperty({
    description: 'The managed account.',
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  address: string;
  @ApiProperty({ description: 'Whether the job claims for it.', example: true })
  enabled: boolean;
  @ApiProperty({ description: 'Claim threshold, TRX.', example: 10 })
  min_reward_trx: number;
  @ApiProperty({
    type: CompoundDto,
    nullable: true,
    description: 'Compounding resource, or null for none.',
    example: { resource: 'ENERGY' },
  })
  compound: CompoundDto | null;
  @ApiPropertyOptional({
    description: 'The latest claim the job made for this account.',
    example: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  })
  last_claim_id?: string;
  @ApiProperty({ description: 'Created.', example: '2026-11-21T12:00:00.000Z' })
  created_at: string;
  @ApiProperty({ description: 'Last changed.', example: '2026-11-21T12:00:00.000Z' })
  updated_at: string;
}
