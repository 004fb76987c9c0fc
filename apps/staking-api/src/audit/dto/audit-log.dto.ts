import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditEntry } from '../chain/audit-entry.js';

export class AuditLogDto {
  @ApiProperty({ example: 42 }) seq: number;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) time: string;
  @ApiProperty({ example: 'auth.login' }) action: string;
  @ApiProperty({ nullable: true, type: String, example: 'session:…' }) resource: string | null;
  @ApiProperty({ example: { type: 'user', id: '665f…', username: 'alice', role: 'operator' } })
  actor: AuditEntry['actor'];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'X-Request-Id of the request that caused the entry.',
    example: '5b0d6f2e-6f0c-4a69-9a0b-1b3a3f8a2d11',
  })
  request_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: '10.0.0.7' }) ip: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'User-Agent header of the caller.',
    example: 'treasury-bot/2.1',
  })
  user_agent: string | null;
  @ApiProperty({
    nullable: true,
    description: 'Masked parameters.',
    example: { body: { username: 'alice', password: '[REDACTED]' } },
  })
  params: unknown;
  @ApiProperty({ example: { status: 'success', error_code: null, http_status: 200 } })
  result: AuditEntry['result'];
  @ApiProperty({ description: 'SHA-256 of the previous entry.' }) prev_hash: string;
  @ApiProperty({ description: 'SHA-256 of this entry (content + prev_hash).' }) hash: string;

  static from(e: AuditEntry): AuditLogDto {
    return { ...e, params: e.params === null ? null : (JSON.parse(e.params) as unknown) };
  }
}

export class AuditLogListDto {
  @ApiProperty({ type: [AuditLogDto] }) items: AuditLogDto[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 0 }) skip: number;
  @ApiProperty({ example: 100 }) limit: number;
}

export class ChainBreakDto {
  @ApiProperty({ example: 17 }) seq: number;
  @ApiProperty({
    example: 'hash_mismatch',
    enum: ['missing', 'prev_hash_mismatch', 'hash_mismatch', 'out_of_order', 'head_mismatch'],
  })
  reason: string;
  @ApiPropertyOptional({
    description: 'What the chain says should be there (hash or sequence).',
    example: 'a1b2c3…',
  })
  expected?: string | number;
  @ApiPropertyOptional({ description: 'What was found instead.', example: 'f0e1d2…' }) actual?:
    string | number;
}

export class AuditVerifyDto {
  @ApiProperty({ example: true }) valid: boolean;
  @ApiProperty({ example: 1200, description: 'Live entries checked.' }) checked: number;
  @ApiProperty({
    example: { seq: 0, hash: '000…' },
    description: 'Last archived entry the live chain continues from.',
  })
  anchor: { seq: number; hash: string };
  @ApiProperty({ example: 1200 }) last_seq: number;
  @ApiProperty({ example: 1200 }) head_seq: number;
  @ApiPropertyOptional({ type: ChainBreakDto, description: 'The first break, when not valid.' })
  break?: ChainBreakDto;
  @ApiPropertyOptional({ description: 'Archive check, when include_archives=true.' })
  archives?: { valid: boolean; files: number; last_seq: number; break?: unknown };
}
