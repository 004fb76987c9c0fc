import { ROLES, type Role } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import type { ApiKeyRecord } from '../api-key.schema.js';

export class ApiKeyDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' }) id: string;
  @ApiProperty({ example: 'payments-service' }) name: string;
  @ApiProperty({ enum: ROLES, example: 'operator' }) role: Role;
  @ApiProperty({ example: 'tsk_AbC1', description: 'The first characters of the key.' })
  key_prefix: string;
  @ApiProperty({ nullable: true, type: String, example: '665f1c2e8b3e4a0012345678' }) created_by:
    string | null;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, example: null }) revoked_at: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-11-21T12:00:00.000Z',
    description: 'Minute resolution.',
  })
  last_used_at: string | null;

  static from(k: ApiKeyRecord): ApiKeyDto {
    return {
      id: k.id,
      name: k.name,
      role: k.role,
      key_prefix: k.key_prefix,
      created_by: k.created_by,
      created_at: k.created_at.toISOString(),
      revoked_at: k.revoked_at?.toISOString() ?? null,
      last_used_at: k.last_used_at?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' }) id: string;
  @ApiProperty({
    example: 'tsk_3q2…',
    description: 'The key. Shown once: only its hash is stored.',
  })
  key: string;
  @ApiProperty({ enum: ROLES, example: 'operator' }) role: Role;
  @ApiProperty({ example: 'payments-service' }) name: string;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) created_at: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 0 }) skip: number;
  @ApiProperty({ example: 100 }) limit: number;
}
