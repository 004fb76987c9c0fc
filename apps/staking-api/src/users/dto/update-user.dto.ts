import { ROLES, type Role } from '@app/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class UpdateUserDto {
  @ApiPropertyOptional({
    enum: ROLES,
    example: 'manager',
    description: "A new role. If it differs from the user's, every session of the user ends.",
  })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    example: 'disabled',
    description:
      'A disabled user cannot sign in or use tokens; disabling ends every session (re-enabling does not bring them back).',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';

  @ApiPropertyOptional({
    description:
      "A new password (at least the policy's minimum length). Ends every session of the user, including the caller's own when it changes its own password.",
    example: 'correct-horse-battery-staple',
    format: 'password',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({
    description: 'true ends a lock-out after repeated failed sign-ins.',
    example: true,
  })
  @IsOptional()
  @Equals(true)
  unlock?: true;
}
