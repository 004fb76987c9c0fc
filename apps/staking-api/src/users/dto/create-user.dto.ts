import { ROLES, type Role } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export class CreateUserDto {
  @ApiProperty({
    example: 'alice.ops',
    description: 'Lowercase letters, digits, ".", "_" or "-"; 3–64 characters.',
  })
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3-64 lowercase letters, digits, ".", "_" or "-"',
  })
  username: string;

  @ApiProperty({
    example: 'correct-horse-battery-staple',
    description: "At least the policy's minimum length (12). Never stored or logged in clear.",
    format: 'password',
  })
  @IsString()
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: ROLES, example: 'operator' })
  @IsIn(ROLES)
  role: Role;
}
