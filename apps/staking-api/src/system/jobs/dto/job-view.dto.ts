import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class JobLastRunDto {
  @ApiProperty({
    description: 'Run id (job_runs).',
    example: '7c1f0d7e-5b1e-4c5e-9a51-1d2f3a4b5c6d',
  })
  run_id: string;
  @ApiProperty({ description: 'Replica that ran it.', example: 'staking-api-7d9f-1-a1b2c3' })
  replica: string;
  @ApiProperty({ description: 'Start.', format: 'date-time', example: '2026-12-02T12:00:00.000Z' })
  started_at: string;
  @ApiProperty({ description: 'End.', format: 'date-time', example: '2026-12-02T12:00:00.420Z' })
  ended_at: string;
  @ApiProperty({ description: 'Duration in milliseconds.', type: 'integer', example: 420 })
  duration_ms: number;
  @ApiProperty({
    description: 'ok or failed (the tick threw).',
    enum: ['ok', 'failed'],
    example: 'ok',
  })
  outcome: string;
  @ApiProperty({
    description: 'Work items: the sum of the counters the tick returned.',
    type: 'integer',
    example: 3,
  })
  items: number;
  @ApiProperty({
    description: "Errors: the tick's errors/failed counter, at least 1 when it threw.",
    type: 'integer',
    example: 0,
  })
  errors: number;
  @ApiPropertyOptional({ description: 'Why it failed.', example: 'connect ECONNREFUSED' })
  error_message?: string;
}

export class JobViewDto {
  @ApiProperty({ description: 'Job name (its lock is job:{name}).', example: 'operation-tracker' })
  name: string;
  @ApiProperty({ description: 'Tick interval in seconds.', type: 'integer', example: 3 })
  interval_seconds: number;
  @ApiProperty({
    description: 'Lock lease in seconds, renewed while a tick runs.',
    type: 'integer',
    example: 60,
  })
  lock_ttl_seconds: number;
  @ApiProperty({ description: 'Scheduled on this replica (JOBS_ENABLED).', example: true })
  enabled: boolean;
  @ApiProperty({
    description:
      'This replica ran the last tick (the lock goes to whichever replica takes it first).',
    example: true,
  })
  is_leader: boolean;
  @ApiPropertyOptional({
    description: 'The last tick, absent before the first.',
    type: JobLastRunDto,
  })
  last_run?: JobLastRunDto;
  @ApiPropertyOptional({
    description: 'End of the last successful tick.',
    format: 'date-time',
    example: '2026-12-02T12:00:00.420Z',
  })
  last_success_at?: string;
  @ApiProperty({
    description: 'No successful tick for more than three intervals (or never, while enabled).',
    example: false,
  })
  late: boolean;
  @ApiProperty({ description: 'Ticks recorded, every replica.', type: 'integer', example: 1200 })
  runs_total: number;
  @ApiProperty({
    description: 'Failed ticks recorded, every replica.',
    type: 'integer',
    example: 2,
  })
  failures_total: number;
  @ApiProperty({ description: 'Failed ticks in a row, up to now.', type: 'integer', example: 0 })
  consecutive_failures: number;
}

export class JobListDto {
  @ApiProperty({ description: 'The replica that answered.', example: 'staking-api-7d9f-1-a1b2c3' })
  replica: string;
  @ApiProperty({ description: 'Every scheduled job, by name.', type: [JobViewDto] })
  items: JobViewDto[];
}
