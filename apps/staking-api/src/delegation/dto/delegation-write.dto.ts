import { ErrorCode, IsTrxAmount, withCode } from '@app/common';
import { IsTronAddress } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  RESOURCES,
  SigningModeDto,
  type ResourceName,
} from '../../staking/dto/staking-write.dto.js';

const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;
const EXAMPLE_OWNER = 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy';
const EXAMPLE_RECEIVER = 'TKSXDA8HfE9E1y39RczVQ1ZascUEtaSToF';

/**
 * The two parties, in the API schema's names (address, receiver_address) or the models'
 * (from_address, to_address): one of each pair, never both (S160).
 */
export class DelegationPartiesDto extends SigningModeDto {
  @ApiPropertyOptional({
    description:
      'Address whose stake is delegated (a managed account, or any with mode "unsigned").',
    example: EXAMPLE_OWNER,
  })
  @IsOptional()
  @IsTronAddress()
  address?: string;

  @ApiPropertyOptional({
    description: 'Address that receives the resource.',
    example: EXAMPLE_RECEIVER,
  })
  @IsOptional()
  @IsTronAddress()
  receiver_address?: string;

  @ApiPropertyOptional({
    description: 'Accepted instead of address (the seeds’ DelegateResourceRequest model).',
    example: EXAMPLE_OWNER,
  })
  @IsOptional()
  @IsTronAddress()
  from_address?: string;

  @ApiPropertyOptional({
    description: 'Accepted instead of receiver_address.',
    example: EXAMPLE_RECEIVER,
  })
  @IsOptional()
  @IsTronAddress()
  to_address?: string;

  @ApiProperty({
    description: 'TRX of frozen stake (at least 1, at most 6 decimals).',
    example: 100,
    oneOf: [{ type: 'number' }, { type: 'string' }],
  })
  @IsTrxAmount()
  amount: number | string;

  @ApiProperty({ enum: RESOURCES, description: 'Case-insensitive.', example: 'ENERGY' })
  @Transform(upper)
  @IsIn(
    RESOURCES,
    withCode(ErrorCode.INVALID_RESOURCE_TYPE, 'resource must be ENERGY or BANDWIDTH'),
  )
  resource: ResourceName;
}

export class DelegateRequestDto extends DelegationPartiesDto {
  @ApiPropertyOptional({
    description:
      'Lock the delegation: it cannot be undelegated before lock_period blocks have passed (3 days when no period is given).',
    example: false,
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  lock?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    description:
      "Lock length in blocks of 3 s (28800 = 1 day); implies lock. At most the chain's getMaxDelegateLockPeriod, and not shorter than what remains of a running lock to the same receiver.",
    example: 28800,
    minimum: 0,
  })
  @IsOptional()
  @IsInt(withCode(ErrorCode.INVALID_LOCK_PERIOD, 'lock_period must be a whole number of blocks'))
  @Min(0, withCode(ErrorCode.INVALID_LOCK_PERIOD, 'lock_period must not be negative'))
  @Max(
    Number.MAX_SAFE_INTEGER,
    withCode(ErrorCode.INVALID_LOCK_PERIOD, 'lock_period is out of range'),
  )
  lock_period?: number;

  @ApiPropertyOptional({
    description:
      'When the receiver does not exist on chain yet, activate it first (AccountCreateContract from the owner, its own operation; the chain charges the owner its account fee). Custodial mode only.',
    example: false,
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  activate_receiver?: boolean;
}

export class UndelegateRequestDto extends DelegationPartiesDto {}
