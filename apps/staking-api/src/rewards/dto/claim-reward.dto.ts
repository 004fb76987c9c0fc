import { ErrorCode, IsTrxAmount, withCode } from '@app/common';
import { IsTronAddress } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { SigningModeDto } from '../../staking/dto/staking-write.dto.js';

export const REWARD_TYPES = ['all', 'energy', 'bandwidth'] as const;
export type RewardType = (typeof REWARD_TYPES)[number];
const lower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toLowerCase() : value;

/** POST /claim-reward: the seeds' ClaimRewardRequest (and WithdrawRewardRequest's amount). */
export class ClaimRewardRequestDto extends SigningModeDto {
  @ApiProperty({
    description:
      'Address whose voting rewards are withdrawn to its balance (a managed account, or any address with mode "unsigned").',
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;

  @ApiPropertyOptional({
    enum: REWARD_TYPES,
    default: 'all',
    description:
      'The seeds\' reward_type. The chain withdraws the whole reward in one WithdrawBalance, so only "all" is possible; "energy" or "bandwidth" is refused (422 S422).',
    example: 'all',
  })
  @IsOptional()
  @Transform(lower)
  @IsIn(
    REWARD_TYPES,
    withCode(ErrorCode.VALIDATION_FAILED, 'reward_type must be all, energy or bandwidth'),
  )
  reward_type?: RewardType;

  @ApiPropertyOptional({
    description:
      "The seeds' withdraw_reward(amount). The chain cannot withdraw part of a reward: any amount is refused (422 S422); omit it to claim everything.",
    example: 10,
    oneOf: [{ type: 'number' }, { type: 'string' }],
  })
  @IsOptional()
  @IsTrxAmount()
  amount?: number | string;
}

export class ClaimRewardResponseDto {
  @ApiProperty({
    description: 'Id of the claim (32 lowercase hex).',
    example: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  })
  claim_id: string;
  @ApiProperty({ description: 'Claiming address.', example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  address: string;
  @ApiProperty({
    enum: ['pending', 'confirmed', 'failed'],
    description: 'pending until the operation is final on the solidified chain.',
    example: 'pending',
  })
  status: string;
  @ApiProperty({
    description:
      'Unclaimed reward (TRX) the node reported when the claim was requested; the chain withdraws what it holds when the transaction executes.',
    example: 12.5,
  })
  expected_reward: number;
  @ApiPropertyOptional({
    description:
      'TRX the chain really withdrew (transaction info withdraw_amount), once confirmed.',
    example: 12.512,
  })
  amount_claimed?: number;
  @ApiProperty({
    description: 'The on-chain operation.',
    example: '3b0c8f0e-7f55-4a8a-9d8c-0f3f1a2b3c4d',
  })
  operation_id: string;
  @ApiProperty({
    description: 'State of the operation (built, signed, broadcast, confirmed…).',
    example: 'broadcast',
  })
  operation_state: string;
  @ApiPropertyOptional({
    description: 'txid, once built.',
    example: '7c2d0e9a4b1f3c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5',
  })
  transaction_hash?: string;
  @ApiPropertyOptional({
    description: 'mode "unsigned": the transaction to sign (sign its txID).',
    example: {
      txID: '7c2d0e9a4b1f3c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5',
      raw_data: { contract: [{ type: 'WithdrawBalanceContract' }] },
      raw_data_hex: '0a02…',
    },
  })
  transaction?: Record<string, unknown>;
  @ApiProperty({
    description: 'What happens next.',
    example:
      'Claim broadcast; the reward is in the balance once the solidified chain passes its block.',
  })
  message: string;
  @ApiProperty({ description: 'Time of the answer.', example: '2026-11-21T12:00:00.000Z' })
  timestamp: string;
}
