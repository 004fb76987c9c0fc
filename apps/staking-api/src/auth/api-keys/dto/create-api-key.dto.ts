import { ROLES, type Role } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';

// A full date-time with its zone: a bare date or a local time would leave the moment to guess.
const DATE_TIME_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export class CreateApiKeyDto {
  @ApiProperty({ example: 'payments-service', description: 'Who uses the key (1–100 characters).' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES, example: 'operator', description: 'The role the key acts with.' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    example: '2027-06-30T00:00:00Z',
    format: 'date-time',
    description:
      "When the key stops working (401 S137 after it): an ISO 8601 date-time with a zone, in the future and at most the policy's authentication.api_keys.max_lifetime_days (365) ahead. Omitted: the key never expires.",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE_TIME_WITH_ZONE, {
    message: 'expires_at must be an ISO 8601 date-time with a zone, e.g. 2027-06-30T00:00:00Z',
  })
  expires_at?: string;
}
