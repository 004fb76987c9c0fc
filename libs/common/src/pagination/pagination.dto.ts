import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ErrorCode } from '../errors/error-code.js';
import { withCode } from '../errors/validation.js';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

/** `skip`/`limit` query parameters as in the seeds: skip ≥ 0, 1 ≤ limit ≤ 1000, default 100. */
export class PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Records to skip.', minimum: 0, default: 0, example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt(withCode(ErrorCode.INVALID_PAGINATION, 'skip must be a whole number'))
  @Min(0, withCode(ErrorCode.INVALID_PAGINATION, 'skip must be 0 or more'))
  skip: number = 0;

  @ApiPropertyOptional({
    description: 'Page size.',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    example: 100,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt(withCode(ErrorCode.INVALID_PAGINATION, 'limit must be a whole number'))
  @Min(1, withCode(ErrorCode.INVALID_PAGINATION, 'limit must be at least 1'))
  @Max(
    MAX_PAGE_SIZE,
    withCode(ErrorCode.INVALID_PAGINATION, `limit must be at most ${MAX_PAGE_SIZE}`),
  )
  limit: number = DEFAULT_PAGE_SIZE;
}
