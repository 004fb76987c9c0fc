import { ROLES, type Role } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'payments-service', description: 'Who uses the key (1–100 characters).' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES, example: 'operator', description: 'The role the key acts with.' })
  @IsIn(ROLES)
  role: Role;
}
