import { ErrorCode, IsTrxAmount, withCode } from '@app/common';
import { IsTronAddress } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches } from 'class-validator';

export const RESOURCES = ['ENERGY', 'BANDWIDTH'] as const;
export type ResourceName = (typeof RESOURCES)[number];
const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;

/** Fields every write shares: the signing mode. */
export class SigningModeDto {
  @ApiPropertyOptional({
    enum: ['custodial', 'unsigned'],
    default: 'custodial',
    description:
      '"custodial" signs with the managed account\'s key. "unsigned" answers with the unsigned transaction; sign its txID and POST /api/v1/operations/{operation_id}/signature.',
    example: 'custodial',
  })
  @IsOptional()
  @IsIn(['custodial', 'unsigned'])
  mode?: 'custodial' | 'unsigned';
}

export class StakeRequestDto extends SigningModeDto {
  @ApiProperty({
    description:
      'TRON address that stakes (a managed account, or any address with mode "unsigned").',
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;

  @ApiProperty({
    description: 'TRX to stake (1 – 10,000,000 by policy, at most 6 decimals).',
    example: 1000,
    oneOf: [{ type: 'number' }, { type: 'string' }],
  })
  @IsTrxAmount()
  amount: number | string;

  @ApiProperty({
    description:
      'Holding period in days (1 – 365 by policy): the stake cannot be unstaked before it ends. Stake 2.0 itself has no lock.',
    example: 30,
    minimum: 1,
    maximum: 365,
  })
  @IsInt(withCode(ErrorCode.INVALID_DURATION, 'duration must be a whole number of days'))
  duration: number;

  @ApiProperty({
    enum: RESOURCES,
    description: 'Resource the frozen TRX yields (case-insensitive).',
    example: 'ENERGY',
  })
  @Transform(upper)
  @IsIn(
    RESOURCES,
    withCode(ErrorCode.INVALID_RESOURCE_TYPE, 'resource must be ENERGY or BANDWIDTH'),
  )
  resource: ResourceName;
}

/** POST /freeze: the seeds' FreezeBalanceRequest; the holding period defaults to the policy minimum. */
export class FreezeRequestDto extends SigningModeDto {
  @ApiProperty({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  @IsTronAddress()
  address: string;

  @ApiProperty({
    description: 'TRX to freeze.',
    example: 100,
    oneOf: [{ type: 'number' }, { type: 'string' }],
  })
  @IsTrxAmount()
  amount: number | string;

  @ApiPropertyOptional({
    description: 'Holding period in days; defaults to the policy minimum.',
    example: 3,
  })
  @IsOptional()
  @IsInt(withCode(ErrorCode.INVALID_DURATION, 'duration must be a whole number of days'))
  duration?: number;

  @ApiProperty({ enum: RESOURCES, example: 'BANDWIDTH' })
  @Transform(upper)
  @IsIn(
    RESOURCES,
    withCode(ErrorCode.INVALID_RESOURCE_TYPE, 'resource must be ENERGY or BANDWIDTH'),
  )
  resource: ResourceName;
}

export class UnstakeRequestDto extends SigningModeDto {
  @ApiProperty({
    description: 'The staking_id returned by /stake (32 lowercase hex).',
    example: '6f1e2d3c4b5a69788796a5b4c3d2e1f0',
  })
  @Matches(
    /^[0-9a-f]{32}$/,
    withCode(ErrorCode.INVALID_STAKING_ID, 'staking_id must be 32 lowercase hex characters'),
  )
  staking_id: string;
}

export class UnfreezeRequestDto extends SigningModeDto {
  @ApiProperty({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  @IsTronAddress()
  address: string;

  @ApiProperty({ enum: RESOURCES, example: 'ENERGY' })
  @Transform(upper)
  @IsIn(
    RESOURCES,
    withCode(ErrorCode.INVALID_RESOURCE_TYPE, 'resource must be ENERGY or BANDWIDTH'),
  )
  resource: ResourceName;

  @ApiPropertyOptional({
    description: 'TRX to unfreeze; omitted = everything not held by a running holding period.',
    example: 50,
    oneOf: [{ type: 'number' }, { type: 'string' }],
  })
  @IsOptional()
  @IsTrxAmount()
  amount?: number | string;
}

/** POST /cancel-unfreeze: cancelallunfreezev2 for the address. */
export class CancelUnfreezeRequestDto extends SigningModeDto {
  @ApiProperty({
    description:
      'Address whose pending unfreezes go back to frozen (those past the unfreeze delay are withdrawn to the balance instead, as the chain does).',
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;
}
