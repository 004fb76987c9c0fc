import { ErrorCode, withCode } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class VoteEntryViewDto {
  @ApiProperty({ description: 'Witness voted for.', example: 'TLyqzVGLV1srkB7dToTAEqgDSfPtXRJZYH' })
  witness_address: string;

  @ApiProperty({ description: 'Votes (whole TRX of TRON power).', example: 100, type: 'integer' })
  vote_count: number;
}

export class VoteResponseDto {
  @ApiProperty({
    description: "The seeds' vote_id: the id of the vote operation.",
    example: '9b2f6a64-3f8e-4c55-9a1d-1e2f3a4b5c6d',
  })
  vote_id: string;

  @ApiProperty({
    description: 'Operation carrying the vote.',
    example: '9b2f6a64-3f8e-4c55-9a1d-1e2f3a4b5c6d',
  })
  operation_id: string;

  @ApiProperty({ description: 'Voting address.', example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  address: string;

  @ApiPropertyOptional({
    description: 'Single-SR form: the witness of the request.',
    example: 'TLyqzVGLV1srkB7dToTAEqgDSfPtXRJZYH',
  })
  witness_address?: string;

  @ApiPropertyOptional({
    description: 'Single-SR form: its votes.',
    example: 100,
    type: 'integer',
  })
  vote_count?: number;

  @ApiProperty({
    description: 'The whole vote set the transaction gives the account.',
    type: [VoteEntryViewDto],
  })
  votes: VoteEntryViewDto[];

  @ApiProperty({ description: 'Σ votes of the set.', example: 300, type: 'integer' })
  total_votes: number;

  @ApiProperty({
    description: 'TRON power the checks counted (whole TRX).',
    example: 1000,
    type: 'integer',
  })
  tron_power: number;

  @ApiProperty({
    description: "Operation state (the seeds' status): built, signed, broadcast, confirmed.",
    example: 'broadcast',
  })
  status: string;

  @ApiProperty({ description: 'Same as status (as every write answers).', example: 'broadcast' })
  operation_state: string;

  @ApiPropertyOptional({
    description: 'Transaction id once built.',
    example: 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef',
  })
  txid?: string;

  @ApiProperty({ description: 'When answered (ISO 8601).', example: '2026-12-02T12:00:00.000Z' })
  timestamp: string;

  @ApiProperty({ description: 'What happens next.', example: 'Transaction broadcast; …' })
  message: string;

  @ApiPropertyOptional({
    description: 'mode "unsigned": the transaction to sign.',
    type: 'object',
    additionalProperties: true,
  })
  transaction?: Record<string, unknown>;
}

export class VotingHistoryEntryDto {
  @ApiProperty({
    description:
      'vote, unvote, policy_revote (confirmed operations); chain_scaled_down (an unfreeze made the chain scale the votes down), chain_changed (votes changed outside the service).',
    example: 'vote',
  })
  kind: string;

  @ApiProperty({ description: 'Votes after the change.', type: [VoteEntryViewDto] })
  votes: VoteEntryViewDto[];

  @ApiProperty({ description: 'Votes before it.', type: [VoteEntryViewDto] })
  previous_votes: VoteEntryViewDto[];

  @ApiPropertyOptional({
    description: 'The operation, when ours.',
    example: '9b2f6a64-3f8e-4c55-9a1d-1e2f3a4b5c6d',
  })
  operation_id?: string;

  @ApiPropertyOptional({
    description: 'Its transaction id.',
    example: 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef',
  })
  txid?: string;

  @ApiPropertyOptional({ description: 'Its block.', example: 1234, type: 'integer' })
  block_number?: number;

  @ApiProperty({
    description: 'Block time of the operation, or when the change was observed.',
    example: '2026-12-02T12:00:00.000Z',
  })
  at: string;
}

export class AddressVotesDto {
  @ApiProperty({ description: 'The address.', example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  address: string;

  @ApiProperty({
    description: 'TRON power (whole TRX), from the chain.',
    example: 1000,
    type: 'integer',
  })
  tron_power: number;

  @ApiProperty({ description: 'Σ votes on chain.', example: 300, type: 'integer' })
  used: number;

  @ApiProperty({ description: 'tron_power − used.', example: 700, type: 'integer' })
  available: number;

  @ApiProperty({ description: "The chain's votes.", type: [VoteEntryViewDto] })
  votes: VoteEntryViewDto[];

  @ApiProperty({
    description: 'Our record of the changes, newest first (at most 50).',
    type: [VotingHistoryEntryDto],
  })
  voting_history: VotingHistoryEntryDto[];

  @ApiProperty({
    description: 'Next maintenance (votes are tallied and start earning then), ISO 8601.',
    example: '2026-12-02T18:00:00.000Z',
  })
  next_maintenance_at: string;

  @ApiProperty({ description: 'Served from the cache.', example: false })
  cached: boolean;
}

export const WITNESS_SORTS = ['votes', 'apr', 'brokerage'] as const;

export class WitnessListQueryDto {
  @ApiPropertyOptional({
    description: 'How many witnesses (1–500).',
    example: 27,
    default: 100,
    minimum: 1,
    maximum: 500,
    type: 'integer',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt(withCode(ErrorCode.INVALID_PAGINATION, 'limit must be a whole number'))
  @Min(1, withCode(ErrorCode.INVALID_PAGINATION, 'limit must be at least 1'))
  @Max(500, withCode(ErrorCode.INVALID_PAGINATION, 'limit must be at most 500'))
  limit: number = 100;

  @ApiPropertyOptional({
    description:
      'votes (rank, default), apr (highest estimated voter APR first), brokerage (lowest first).',
    enum: WITNESS_SORTS,
    example: 'apr',
    default: 'votes',
  })
  @IsOptional()
  @IsIn(
    WITNESS_SORTS,
    withCode(ErrorCode.VALIDATION_FAILED, 'sort must be votes, apr or brokerage'),
  )
  sort: (typeof WITNESS_SORTS)[number] = 'votes';
}

export class WitnessDto {
  @ApiProperty({ description: 'Rank by tallied votes (1 = most).', example: 1, type: 'integer' })
  rank: number;

  @ApiProperty({ description: 'Witness address.', example: 'TLyqzVGLV1srkB7dToTAEqgDSfPtXRJZYH' })
  address: string;

  @ApiProperty({ description: 'Its URL.', example: 'https://sr-01.devnet.tron.local' })
  url: string;

  @ApiProperty({
    description: 'Votes tallied at the last maintenance.',
    example: 9000000,
    type: 'integer',
  })
  total_votes: number;

  @ApiProperty({
    description: 'Percent of rewards the witness keeps.',
    example: 20,
    type: 'integer',
  })
  brokerage: number;

  @ApiProperty({ description: 'Blocks produced.', example: 120, type: 'integer' })
  produced_blocks: number;

  @ApiProperty({ description: 'Blocks missed.', example: 0, type: 'integer' })
  missed_blocks: number;

  @ApiProperty({ description: 'In the top 27 (produces blocks).', example: true })
  is_active: boolean;

  @ApiProperty({
    description: 'Estimated yearly voter reward per TRX voted, percent (README "Voting" formula).',
    example: 4.1234,
  })
  estimated_voter_apr: number;
}

export class WitnessListDto {
  @ApiProperty({ description: 'Witnesses in the requested order.', type: [WitnessDto] })
  witnesses: WitnessDto[];

  @ApiProperty({ description: 'Witnesses and candidates on chain.', example: 27, type: 'integer' })
  total_count: number;

  @ApiProperty({
    description: 'The chain parameters the APR used (SUN, ms).',
    example: {
      witness_pay_per_block_sun: 16000000,
      witness_127_pay_per_block_sun: 160000000,
      block_interval_ms: 3000,
      maintenance_interval_ms: 21600000,
    },
  })
  parameters: Record<string, number>;

  @ApiProperty({ description: 'When computed (ISO 8601).', example: '2026-12-02T12:00:00.000Z' })
  timestamp: string;

  @ApiProperty({ description: 'Served from the cache.', example: false })
  cached: boolean;
}
