import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AddressResourcesDto } from '../../staking/dto/address-views.dto.js';

export const HISTORY_WINDOWS = ['24h', '7d'] as const;
export type HistoryWindow = (typeof HISTORY_WINDOWS)[number];

export class ResourcesQueryDto {
  @ApiPropertyOptional({
    description: 'Adds downsampled points of the window from the stored snapshots.',
    enum: HISTORY_WINDOWS,
    example: '24h',
  })
  @IsOptional()
  @IsIn(HISTORY_WINDOWS)
  history?: HistoryWindow;
}

export class ResourceHistoryPointDto {
  @ApiProperty({
    description: 'Start of the point’s time bucket.',
    example: '2026-11-21T11:30:00.000Z',
  })
  at: string;
  @ApiProperty({ description: 'Refreshes folded into the point.', example: 2 })
  samples: number;
  @ApiProperty({ description: 'Energy limit at the last refresh of the bucket.', example: 120000 })
  energy_limit: number;
  @ApiProperty({ description: 'Lowest available energy in the bucket.', example: 40000 })
  energy_available_min: number;
  @ApiProperty({ description: 'Mean available energy in the bucket.', example: 65000 })
  energy_available_avg: number;
  @ApiProperty({ description: 'Bandwidth limit, staked plus free.', example: 1600 })
  bandwidth_limit: number;
  @ApiProperty({ description: 'Lowest available bandwidth in the bucket.', example: 900 })
  bandwidth_available_min: number;
  @ApiProperty({ description: 'Mean available bandwidth in the bucket.', example: 1200 })
  bandwidth_available_avg: number;
  @ApiProperty({ description: 'TRON power at the last refresh of the bucket.', example: 1500 })
  tron_power: number;
}

export class ResourceHistoryDto {
  @ApiProperty({ description: 'The window asked for.', enum: HISTORY_WINDOWS, example: '24h' })
  window: string;
  @ApiProperty({ description: 'Window start.', example: '2026-11-20T12:00:00.000Z' })
  from: string;
  @ApiProperty({ description: 'Window end (now).', example: '2026-11-21T12:00:00.000Z' })
  to: string;
  @ApiProperty({
    type: [ResourceHistoryPointDto],
    description: 'Oldest first, empty buckets left out.',
  })
  points: ResourceHistoryPointDto[];
}

export class ResourcesViewDto extends AddressResourcesDto {
  @ApiProperty({
    description: 'When these figures were read from the node.',
    example: '2026-11-21T11:59:30.000Z',
  })
  cached_at: string;
  @ApiProperty({
    description: 'Age of the figures in whole seconds (0: read just now).',
    example: 30,
  })
  age_seconds: number;
  @ApiPropertyOptional({ type: ResourceHistoryDto, description: 'With ?history= only.' })
  history?: ResourceHistoryDto;
}
