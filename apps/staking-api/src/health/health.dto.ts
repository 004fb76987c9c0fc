import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthResponseDto {
  @ApiProperty({
    enum: ['healthy', 'degraded', 'unhealthy'],
    example: 'healthy',
    description:
      'unhealthy when MongoDB or Redis is down; degraded when a non-critical check fails.',
  })
  status: 'healthy' | 'degraded' | 'unhealthy';

  @ApiProperty({ example: 'tron-staking' })
  service: string;

  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' })
  timestamp: string;

  @ApiProperty({ example: true, description: 'True once every module finished start-up.' })
  service_initialized: boolean;

  @ApiProperty({
    description: 'Per-dependency results from terminus.',
    example: { mongodb: { status: 'up' }, redis: { status: 'up' }, memory_heap: { status: 'up' } },
  })
  checks: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Staking figures, once staking records exist.' })
  staking?: Record<string, number>;
}

export class ProbeResponseDto {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status: 'ok' | 'error';

  @ApiPropertyOptional({ example: { mongodb: { status: 'up' }, redis: { status: 'up' } } })
  checks?: Record<string, unknown>;

  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' })
  timestamp: string;
}
