import { ROLES, type Role } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TokenPairDto {
  @ApiProperty({
    description: 'HS256 JWT; send as Authorization: Bearer <token>.',
    example: 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.eyJzdWIiOi….sig',
  })
  access_token: string;
  @ApiProperty({
    description:
      'Opaque; spent on use — each refresh returns a new one. Valid until the session ends (7 days after login).',
    example: 'Zk3v…',
  })
  refresh_token: string;
  @ApiProperty({ example: 'Bearer', description: 'Always Bearer.' }) token_type: 'Bearer';
  @ApiProperty({
    example: 86400,
    description:
      'Access token lifetime in seconds: 24 h, or what is left of the session when that is less.',
  })
  expires_in: number;
}

export class MeDto {
  @ApiProperty({ enum: ['user', 'api_key'], example: 'user' }) kind: 'user' | 'api_key';
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' }) id: string;
  @ApiPropertyOptional({ example: 'alice.ops' }) username?: string;
  @ApiProperty({ enum: ROLES, example: 'operator' }) role: Role;
  @ApiProperty({
    example: ['staking:read', 'staking:write'],
    description: "The role's permissions ('*' = all).",
  })
  permissions: string[];
}
