import { ROLES, type Role } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import type { UserRecord } from '../user.schema.js';

export class UserDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' }) id: string;
  @ApiProperty({ example: 'alice.ops' }) username: string;
  @ApiProperty({ enum: ROLES, example: 'operator' }) role: Role;
  @ApiProperty({ enum: ['active', 'disabled'], example: 'active' }) status: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Set while locked out.',
  })
  locked_until: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-21T12:00:00.000Z' })
  last_login_at: string | null;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) updated_at: string;

  static from(u: UserRecord, now: Date = new Date()): UserDto {
    return {
      id: u.id,
      username: u.username,
      role: u.role,
      status: u.status,
      locked_until: u.locked_until && u.locked_until > now ? u.locked_until.toISOString() : null,
      last_login_at: u.last_login_at?.toISOString() ?? null,
      created_at: u.created_at.toISOString(),
      updated_at: u.updated_at.toISOString(),
    };
  }
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 0 }) skip: number;
  @ApiProperty({ example: 100 }) limit: number;
}
