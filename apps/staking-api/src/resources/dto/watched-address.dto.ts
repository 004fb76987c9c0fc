import { ErrorCode, PaginationQueryDto, withCode } from '@app/common';
import { IsTronAddress, TRON_ADDRESS_PATTERN } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const MAX_FLOOR = 1_000_000_000_000;

export class WatchAddressDto {
  @ApiProperty({
    description: 'TRON address to monitor: Base58 (T…) or 41-prefixed hex.',
    pattern: TRON_ADDRESS_PATTERN,
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;

  @ApiPropertyOptional({
    description: 'What the address is (at most 100 characters).',
    example: 'USDT payout wallet',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;

  @ApiPropertyOptional({
    description:
      "Low-energy alert floor in energy units (default: the policy's resources.low_resource.energy_floor; 0 = no alert).",
    example: 65_000,
  })
  @IsOptional()
  @IsInt(withCode(ErrorCode.VALIDATION_FAILED, 'energy_floor must be a whole number'))
  @Min(0)
  @Max(MAX_FLOOR)
  energy_floor?: number;

  @ApiPropertyOptional({
    description:
      "Low-bandwidth alert floor in bytes, staked plus free (default: the policy's resources.low_resource.bandwidth_floor; 0 = no alert).",
    example: 300,
  })
  @IsOptional()
  @IsInt(withCode(ErrorCode.VALIDATION_FAILED, 'bandwidth_floor must be a whole number'))
  @Min(0)
  @Max(MAX_FLOOR)
  bandwidth_floor?: number;
}

export class WatchedAddressDto {
  @ApiProperty({ description: 'Base58 address.', example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  address: string;
  @ApiPropertyOptional({ description: 'Label given when it was watched.', example: 'hot wallet' })
  label?: string;
  @ApiProperty({ description: 'Watched through this API.', example: true })
  watched: boolean;
  @ApiProperty({ description: 'A managed account (monitored anyway).', example: false })
  managed: boolean;
  @ApiProperty({ description: 'Effective low-energy floor (0 = no alert).', example: 10_000 })
  energy_floor: number;
  @ApiProperty({ description: 'Effective low-bandwidth floor (0 = no alert).', example: 0 })
  bandwidth_floor: number;
  @ApiProperty({
    description: 'Low-energy alert state: armed, or fired (until recovery above the margin).',
    enum: ['armed', 'fired'],
    example: 'armed',
  })
  energy_alert: string;
  @ApiProperty({
    description: 'Low-bandwidth alert state.',
    enum: ['armed', 'fired'],
    example: 'armed',
  })
  bandwidth_alert: string;
  @ApiProperty({ description: 'Refresh bucket of the address.', example: 17 })
  slot: number;
  @ApiProperty({ description: 'When it was first monitored.', example: '2026-11-21T12:00:00.000Z' })
  created_at: string;
}

export class WatchedAddressListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description:
      'Refresh bucket to list (0 … slots-1, see `slots` in the answer): the list is read by bucket so every page is an equality lookup.',
    minimum: 0,
    default: 0,
    example: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt(withCode(ErrorCode.INVALID_PAGINATION, 'slot must be a whole number'))
  @Min(0, withCode(ErrorCode.INVALID_PAGINATION, 'slot must be 0 or more'))
  @Max(9_999, withCode(ErrorCode.INVALID_PAGINATION, 'slot must be at most 9999'))
  slot: number = 0;
}

export class WatchedAddressListDto {
  @ApiProperty({ type: [WatchedAddressDto], description: 'Watched addresses of the bucket.' })
  items: WatchedAddressDto[];
  @ApiProperty({ description: 'The bucket listed.', example: 0 })
  slot: number;
  @ApiProperty({ description: 'Buckets in all (policy resources.refresh.slots).', example: 60 })
  slots: number;
  @ApiProperty({ description: 'Watched addresses in all (a maintained counter).', example: 120 })
  total_watched: number;
  @ApiProperty({ description: 'Records skipped.', example: 0 })
  skip: number;
  @ApiProperty({ description: 'Page size.', example: 100 })
  limit: number;
}
