import { ErrorCode, withCode } from '@app/common';
import { IsTronAddress } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SigningModeDto } from '../../staking/dto/staking-write.dto.js';

// Far above the chain's 30: the rule itself is checked by the service (S404 with the count).
const MAX_ENTRIES_ACCEPTED = 1_000;
// Votes are whole TRX of TRON power; the total stays an exact JS integer.
const MAX_VOTE_COUNT = 100_000_000_000;

const SR_EXAMPLE = 'TLyqzVGLV1srkB7dToTAEqgDSfPtXRJZYH';

export class VoteEntryDto {
  @ApiProperty({ description: 'Super Representative (witness) to vote for.', example: SR_EXAMPLE })
  @IsTronAddress()
  witness_address: string;

  @ApiProperty({
    description: 'Votes for it: whole TRX of TRON power (1 TRX frozen = 1 vote).',
    example: 100,
    type: 'integer',
    minimum: 1,
  })
  @IsInt(withCode(ErrorCode.INVALID_VOTE_COUNT, 'vote_count must be a whole number'))
  @Min(1, withCode(ErrorCode.INVALID_VOTE_COUNT, 'vote_count must be at least 1'))
  @Max(MAX_VOTE_COUNT, withCode(ErrorCode.INVALID_VOTE_COUNT, 'vote_count is too large'))
  vote_count: number;
}

/**
 * POST /vote: the seeds' single-SR form `{address, witness_address, vote_count}` or the
 * multi-SR form `{address, votes: [...]}`. Either is merged with the account's current votes
 * unless `replace` is true.
 */
export class VoteRequestDto extends SigningModeDto {
  @ApiProperty({
    description:
      'TRON address that votes (a managed account, or any address with mode "unsigned").',
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;

  @ApiPropertyOptional({
    description: 'Single-SR form: the witness to vote for (with vote_count).',
    example: SR_EXAMPLE,
  })
  @IsOptional()
  @IsTronAddress()
  witness_address?: string;

  @ApiPropertyOptional({
    description: 'Single-SR form: votes for witness_address (whole TRX of TRON power).',
    example: 100,
    type: 'integer',
    minimum: 1,
  })
  @IsOptional()
  @IsInt(withCode(ErrorCode.INVALID_VOTE_COUNT, 'vote_count must be a whole number'))
  @Min(1, withCode(ErrorCode.INVALID_VOTE_COUNT, 'vote_count must be at least 1'))
  @Max(MAX_VOTE_COUNT, withCode(ErrorCode.INVALID_VOTE_COUNT, 'vote_count is too large'))
  vote_count?: number;

  @ApiPropertyOptional({
    description: 'Multi-SR form: 1–30 witnesses with their votes, no witness twice.',
    type: [VoteEntryDto],
  })
  @IsOptional()
  @IsArray(withCode(ErrorCode.INVALID_VOTE, 'votes must be a list'))
  @ArrayMinSize(1, withCode(ErrorCode.INVALID_VOTE, 'votes must name at least one witness'))
  @ArrayMaxSize(
    MAX_ENTRIES_ACCEPTED,
    withCode(ErrorCode.TOO_MANY_WITNESSES, 'votes names far too many witnesses'),
  )
  @ValidateNested({ each: true })
  @Type(() => VoteEntryDto)
  votes?: VoteEntryDto[];

  @ApiPropertyOptional({
    description:
      "true: the request's votes become the account's whole vote set. false (default): they replace the counts of their witnesses and every other current vote is kept (a TRON vote replaces all previous votes).",
    example: false,
    default: false,
  })
  @IsOptional()
  @IsBoolean(withCode(ErrorCode.INVALID_VOTE, 'replace must be true or false'))
  replace?: boolean;
}

export class UnvoteRequestDto extends SigningModeDto {
  @ApiProperty({
    description: 'TRON address whose votes change.',
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;

  @ApiPropertyOptional({
    description:
      'The witness to remove (the other votes are re-voted). Omitted: all votes — which the chain cannot do (409 S409), see the README.',
    example: SR_EXAMPLE,
  })
  @IsOptional()
  @IsTronAddress()
  witness_address?: string;
}
