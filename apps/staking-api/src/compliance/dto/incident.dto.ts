import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES } from '../incidents/incident.schema.js';

export const INCIDENT_ID_PATTERN = '^inc_[0-9a-f]{24}$';

export class IncidentIdParam {
  @ApiProperty({
    description: 'Incident id.',
    pattern: INCIDENT_ID_PATTERN,
    example: 'inc_3f2a1b0c9d8e7f6a5b4c3d2e',
  })
  @Matches(new RegExp(INCIDENT_ID_PATTERN))
  id: string;
}

export class AcknowledgeIncidentDto {
  @ApiPropertyOptional({
    description: 'Who works on it (default: the caller).',
    example: 'compliance-officer-1',
    minLength: 1,
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  assignee?: string;
}

export class ResolveIncidentDto {
  @ApiProperty({
    description: 'What was found and done.',
    example: 'False positive: the customer is a namesake; documents checked.',
    minLength: 1,
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  resolution: string;
}

export class IncidentDto {
  @ApiProperty({ description: 'Incident id.', example: 'inc_3f2a1b0c9d8e7f6a5b4c3d2e' })
  id: string;
  @ApiProperty({
    description:
      'Policy incident type (sanctions_hit, high_velocity, list_refresh_failure, pep_match, …).',
    example: 'sanctions_hit',
  })
  type: string;
  @ApiProperty({
    description: 'Severity from the policy.',
    enum: INCIDENT_SEVERITIES,
    example: 'critical',
  })
  severity: string;
  @ApiProperty({
    description: 'open → acknowledged → resolved.',
    enum: INCIDENT_STATUSES,
    example: 'open',
  })
  status: string;
  @ApiProperty({
    description: 'What happened.',
    example: 'Write vote by TLsV… blocked: counterparty TVG6… is on ofac-sdn-csv (SDN-39012)',
  })
  summary: string;
  @ApiPropertyOptional({
    description: 'What it is about (address, profile, list).',
    example: 'TVG65TedJ1x7UxsLwLYgoFcFAS7s1yVtpn',
  })
  subject?: string;
  @ApiPropertyOptional({
    description: 'Facts behind it (hits, counts, reasons).',
    type: 'object',
    additionalProperties: true,
    example: { address: 'TVG65TedJ1x7UxsLwLYgoFcFAS7s1yVtpn' },
  })
  details?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Who works on it.', example: 'compliance-officer-1' })
  assignee?: string;
  @ApiProperty({
    description: 'Escalation level whose alerts are queued (0: none).',
    example: 1,
    type: 'integer',
  })
  escalation_level: number;
  @ApiPropertyOptional({ description: 'Acknowledged by.', example: 'user:admin' })
  acknowledged_by?: string;
  @ApiPropertyOptional({
    description: 'Acknowledged at (ISO 8601).',
    example: '2026-12-02T12:05:00.000Z',
  })
  acknowledged_at?: string;
  @ApiPropertyOptional({ description: 'Resolved by.', example: 'user:admin' })
  resolved_by?: string;
  @ApiPropertyOptional({
    description: 'Resolved at (ISO 8601).',
    example: '2026-12-02T13:00:00.000Z',
  })
  resolved_at?: string;
  @ApiPropertyOptional({
    description: 'Resolution.',
    example: 'Confirmed hit; account frozen for review.',
  })
  resolution?: string;
  @ApiProperty({ description: 'Opened (ISO 8601).', example: '2026-12-02T12:00:00.000Z' })
  created_at: string;
  @ApiProperty({ description: 'Last change (ISO 8601).', example: '2026-12-02T12:05:00.000Z' })
  updated_at: string;
}

export class IncidentListDto {
  @ApiProperty({ description: 'Incidents, newest first.', type: [IncidentDto] })
  incidents: IncidentDto[];
  @ApiProperty({ description: 'Matching incidents.', example: 1, type: 'integer' })
  total_count: number;
  @ApiProperty({ description: 'Skipped.', example: 0, type: 'integer' })
  skip: number;
  @ApiProperty({ description: 'Page size.', example: 100, type: 'integer' })
  limit: number;
}
