import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ServiceInfoDto {
  @ApiProperty({ example: 'tron-staking' }) service: string;
  @ApiProperty({ example: '0.1.0' }) version: string;
  @ApiProperty({ example: 'TRON Stake 2.0 staking operations backend' }) description: string;
  @ApiProperty({ example: 'devnet' }) network: string;
  @ApiProperty({
    example: {
      swagger: '/docs',
      redoc: '/redoc',
      openapi: '/docs-json',
      health: '/health',
      metrics: '/metrics',
      api: '/api/v1',
    },
  })
  links: Record<string, string>;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) timestamp: string;
}

export class MaintenanceStatusDto {
  @ApiProperty({
    description: 'A maintenance window is on now: writes answer 503 S711.',
    example: false,
  })
  active: boolean;
  @ApiPropertyOptional({ description: 'Why (the current window).', example: 'node upgrade' })
  reason?: string;
  @ApiPropertyOptional({
    description: 'Start of the current window.',
    format: 'date-time',
    example: '2027-01-10T02:00:00.000Z',
  })
  started_at?: string;
  @ApiPropertyOptional({
    description: 'End of the current window.',
    format: 'date-time',
    example: '2027-01-10T03:00:00.000Z',
  })
  ends_at?: string;
  @ApiPropertyOptional({
    description: 'Start of the next planned window.',
    format: 'date-time',
    example: '2027-02-07T02:00:00.000Z',
  })
  next_starts_at?: string;
  @ApiPropertyOptional({ description: 'Why (the next window).', example: 'database upgrade' })
  next_reason?: string;
}

export class ServiceStatusDto {
  @ApiProperty({ example: 'tron-staking' }) service: string;
  @ApiProperty({ example: '0.1.0' }) version: string;
  @ApiProperty({ example: 'production' }) environment: string;
  @ApiProperty({ example: 'mainnet' }) network: string;
  @ApiProperty({ example: 3600, description: 'Seconds since start.' }) uptime_seconds: number;
  @ApiProperty({ example: '2026-11-21T11:00:00.000Z' }) started_at: string;
  @ApiProperty({
    example: { mongodb: 'up', redis: 'up' },
    description: 'up | down | degraded per dependency.',
  })
  dependencies: Record<string, string>;
  @ApiProperty({
    description: 'Maintenance windows from the policy file.',
    type: MaintenanceStatusDto,
  })
  maintenance: MaintenanceStatusDto;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) timestamp: string;
}
