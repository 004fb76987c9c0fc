import { ErrorCode, withCode } from '@app/common';
import { IsTronAddress } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional } from 'class-validator';

export const VOTE_STRATEGIES = ['fixed', 'best_apr'] as const;
const SR = 'TLyqzVGLV1srkB7dToTAEqgDSfPtXRJZYH';

export class VotePolicyRequestDto {
  @ApiProperty({
    description:
      '"fixed": TRON power split evenly over `witnesses`. "best_apr": all of it to the witness with the highest estimated voter APR among `allowed`.',
    enum: VOTE_STRATEGIES,
    example: 'fixed',
  })
  @IsIn(
    VOTE_STRATEGIES,
    withCode(ErrorCode.INVALID_VOTE_POLICY, 'strategy must be fixed or best_apr'),
  )
  strategy: (typeof VOTE_STRATEGIES)[number];

  @ApiPropertyOptional({
    description: 'strategy "fixed": 1–30 witnesses.',
    type: [String],
    example: [SR],
  })
  @IsOptional()
  @IsArray(withCode(ErrorCode.INVALID_VOTE_POLICY, 'witnesses must be a list'))
  @ArrayMaxSize(1_000, withCode(ErrorCode.INVALID_VOTE_POLICY, 'witnesses is far too long'))
  @IsTronAddress({ each: true })
  witnesses?: string[];

  @ApiPropertyOptional({
    description: 'strategy "best_apr": the witnesses it may choose from (1–30).',
    type: [String],
    example: [SR],
  })
  @IsOptional()
  @IsArray(withCode(ErrorCode.INVALID_VOTE_POLICY, 'allowed must be a list'))
  @ArrayMaxSize(1_000, withCode(ErrorCode.INVALID_VOTE_POLICY, 'allowed is far too long'))
  @IsTronAddress({ each: true })
  allowed?: string[];

  @ApiProperty({
    description:
      'true: the vote-policy job keeps 100 % of the TRON power voted (after freezes, unfreezes and cancelled unfreezes). false: the policy is kept but the job leaves the account alone.',
    example: true,
  })
  @IsBoolean(withCode(ErrorCode.INVALID_VOTE_POLICY, 'keep_fully_voted must be true or false'))
  keep_fully_voted: boolean;
}

export class VotePolicyDto {
  @ApiProperty({ description: 'Managed account.', example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  address: string;

  @ApiProperty({ description: 'fixed or best_apr.', enum: VOTE_STRATEGIES, example: 'fixed' })
  strategy: string;

  @ApiProperty({ description: 'strategy "fixed": the witnesses.', type: [String], example: [SR] })
  witnesses: string[];

  @ApiProperty({
    description: 'strategy "best_apr": the candidates.',
    type: [String],
    example: [SR],
  })
  allowed: string[];

  @ApiProperty({ description: 'The job keeps the account fully voted.', example: true })
  keep_fully_voted: boolean;

  @ApiPropertyOptional({
    description: 'Last time the job looked at the account (ISO 8601).',
    example: '2026-12-02T12:00:00.000Z',
  })
  last_run_at?: string;

  @ApiPropertyOptional({
    description: 'The last re-vote operation the job made.',
    example: '9b2f6a64-3f8e-4c55-9a1d-1e2f3a4b5c6d',
  })
  last_operation_id?: string;

  @ApiProperty({ description: 'Last change (ISO 8601).', example: '2026-12-02T12:00:00.000Z' })
  updated_at: string;
}
