import { ErrorCode, PaginationQueryDto, withCode } from '@app/common';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';

export class AuditFilterDto {
  @ApiPropertyOptional({
    example: 'auth.login',
    description: 'Exact action, e.g. auth.failure or "POST /api/v1/users".',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  action?: string;

  @ApiPropertyOptional({
    example: '665f1c2e8b3e4a0012345678',
    description: 'User id or API key id.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor_id?: string;

  @ApiPropertyOptional({ enum: ['user', 'api_key', 'anonymous'] })
  @IsOptional()
  @IsIn(['user', 'api_key', 'anonymous'])
  actor_type?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure', 'denied'] })
  @IsOptional()
  @IsIn(['success', 'failure', 'denied'])
  status?: string;

  @ApiPropertyOptional({ example: '/api/v1/users', description: 'Exact resource.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  resource?: string;

  @ApiPropertyOptional({ example: '5b0d6f2e-6f0c-4a69-9a0b-1b3a3f8a2d11' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  request_id?: string;

  @ApiPropertyOptional({
    example: '2026-11-01T00:00:00Z',
    description: 'From (inclusive), ISO 8601.',
  })
  @IsOptional()
  @IsISO8601(
    { strict: true },
    withCode(ErrorCode.INVALID_DATE_RANGE, 'start_date must be an ISO 8601 date'),
  )
  start_date?: string;

  @ApiPropertyOptional({
    example: '2026-11-30T23:59:59Z',
    description: 'To (inclusive), ISO 8601.',
  })
  @IsOptional()
  @IsISO8601(
    { strict: true },
    withCode(ErrorCode.INVALID_DATE_RANGE, 'end_date must be an ISO 8601 date'),
  )
  end_date?: string;
}

export class AuditLogsQueryDto extends IntersectionType(PaginationQueryDto, AuditFilterDto) {}

export class AuditExportQueryDto extends AuditFilterDto {
  @ApiProperty({ enum: ['csv', 'jsonl'], example: 'jsonl' })
  @IsIn(['csv', 'jsonl'])
  format: 'csv' | 'jsonl';
}

export class AuditVerifyQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Also check the archive files and their link to the live chain.',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  include_archives?: 'true' | 'false';
}
