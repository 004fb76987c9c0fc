import { ROLES, type Role } from '@app/common';
import { ApiProperty, PickType } from '@nestjs/swagger';
import type { ApiKeyRecord } from '../api-key.schema.js';

export class ApiKeyDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678', description: 'Id of the key.' }) id: string;
  @ApiProperty({ example: 'payments-service', description: 'Who uses the key.' }) name: string;
  @ApiProperty({ enum: ROLES, example: 'operator', description: 'The role the key acts with.' })
  role: Role;
  @ApiProperty({ example: 'tsk_AbC1', description: 'The first characters of the key.' })
  key_prefix: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '665f1c2e8b3e4a0012345678',
    description: 'Id of the user who created it.',
  })
  created_by: string | null;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z', description: 'When it was created.' })
  created_at: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2027-06-30T00:00:00.000Z',
    description: 'When it stops working; null: never.',
  })
  expires_at: string | null;
  @ApiProperty({
    example: false,
    description: 'true once expires_at has passed (requests with it answer 401 S137).',
  })
  expired: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'When it was revoked (requests with it answer 401 S129); null: not revoked.',
  })
  revoked_at: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-11-21T12:00:00.000Z',
    description: 'Last use, minute resolution; null: never used.',
  })
  last_used_at: string | null;

  static from(k: ApiKeyRecord, now: Date = new Date()): ApiKeyDto {
    return {
      id: k.id,
      name: k.name,
      role: k.role,
      key_prefix: k.key_prefix,
      created_by: k.created_by,
      created_at: k.created_at.toISOString(),
      expires_at: k.expires_at?.toISOString() ?? null,
      expired: k.expires_at !== null && k.expires_at <= now,
      revoked_at: k.revoked_at?.toISOString() ?? null,
      last_used_at: k.last_used_at?.toISOString() ?? null,
    };
  }
}

/** The answer to a creation: the key's own fields plus the key itself, shown this once. */
export class CreatedApiKeyDto extends PickType(ApiKeyDto, [
  'id',
  'role',
  'name',
  'created_at',
  'expires_at',
] as const) {
  @ApiProperty({
    example: 'tsk_3q2…',
    description: 'The key. Shown once: only its hash is stored.',
  })
  key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto], description: 'A page of keys, oldest first.' })
  items: ApiKeyDto[];
  @ApiProperty({ example: 1, description: 'All keys, revoked and expired ones included.' })
  total: number;
  @ApiProperty({ example: 0, description: 'Keys skipped before this page.' }) skip: number;
  @ApiProperty({ example: 100, description: 'Page size asked for.' }) limit: number;
}
