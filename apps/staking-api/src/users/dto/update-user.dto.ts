import { ROLES, type Role } from '@app/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, example: 'manager' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description: 'A disabled user cannot sign in or use tokens.',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';

  @ApiPropertyOptional({
    description: 'A new password (sets it; existing sessions stay valid).',
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
