import { PaginationQueryDto } from '@app/common';
import { IsTronAddress, TRON_ADDRESS_PATTERN } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { NameHitDto } from './kyc-profile.dto.js';
import { INCIDENT_STATUSES } from '../incidents/incident.schema.js';

const LISTED = 'TVG65TedJ1x7UxsLwLYgoFcFAS7s1yVtpn';

export class ScreenRequestDto {
  @ApiPropertyOptional({
    description:
      'A TRON address to look up on the sanctions lists (exactly one of address or name).',
    pattern: TRON_ADDRESS_PATTERN,
    example: LISTED,
  })
  @IsOptional()
  @IsTronAddress()
  address?: string;

  @ApiPropertyOptional({
    description:
      'A person or entity name, matched fuzzily against every listed name and alias (sanctions and PEP).',
    example: 'Yasin Abdul Rahmn',
    minLength: 1,
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class AddressHitDto {
  @ApiProperty({ description: 'The list that names the address.', example: 'ofac-sdn-csv' })
  list: string;
  @ApiProperty({ description: "The entry's reference on its list.", example: 'SDN-39012' })
  ref: string;
  @ApiProperty({
    description: "The entry's label (type and program, or the CSV label).",
    example: 'CYBER2] [RUSSIA-EO14024',
  })
  label: string;
  @ApiPropertyOptional({
    description: "The listed party's primary name.",
    example: 'GARANTEX EUROPE OU',
  })
  party?: string;
}

export class ScreenAnswerDto {
  @ApiProperty({ description: 'True when anything matched.', example: true })
  hit: boolean;
  @ApiPropertyOptional({ description: 'The address screened (Base58).', example: LISTED })
  address?: string;
  @ApiPropertyOptional({ description: 'The name screened.', example: 'Yasin Abdul Rahmn' })
  name?: string;
  @ApiProperty({ description: 'Sanctions entries naming the address.', type: [AddressHitDto] })
  address_hits: AddressHitDto[];
  @ApiProperty({ description: 'Sanctions names and aliases the name matches.', type: [NameHitDto] })
  sanctions_hits: NameHitDto[];
  @ApiProperty({ description: 'PEP entries the name matches.', type: [NameHitDto] })
  pep_hits: NameHitDto[];
  @ApiProperty({
    description: 'The similarity a name needs (policy aml_kyc.sanctions.name_match_threshold).',
    example: 0.85,
  })
  name_match_threshold: number;
}

export class RefreshResultDto {
  @ApiProperty({
    description: 'The list (its kind, numbered when configured twice).',
    example: 'ofac-sdn-csv',
  })
  list: string;
  @ApiProperty({
    description:
      'active: the new version is in force; unchanged: same checksum; rejected: the previous version stays.',
    enum: ['active', 'unchanged', 'rejected'],
    example: 'active',
  })
  status: string;
  @ApiProperty({
    description: 'The load (version) id.',
    example: 'load_5f0c2a9e-3b7d-4c1a-9e8f-0a1b2c3d4e5f',
  })
  load_id: string;
  @ApiProperty({
    description: 'Entries (addresses and names) of this load.',
    example: 14,
    type: 'integer',
  })
  entries: number;
  @ApiPropertyOptional({
    description: 'Entries of the version in force before.',
    example: 14,
    type: 'integer',
  })
  previous_entries?: number;
  @ApiPropertyOptional({
    description: 'SHA-256 of the documents.',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  checksum?: string;
  @ApiPropertyOptional({
    description: 'Why a load was rejected.',
    example:
      '3 entries where 14 are in force (at least 50 % are expected): a truncated or partial list',
  })
  reason?: string;
  @ApiPropertyOptional({
    description: 'The list_refresh_failure incident a rejection opened.',
    example: 'inc_3f2a1b0c9d8e7f6a5b4c3d2e',
  })
  incident_id?: string;
}

export class RefreshAnswerDto {
  @ApiProperty({
    description: 'One result per configured source (SANCTIONS_SOURCES).',
    type: [RefreshResultDto],
  })
  results: RefreshResultDto[];
}

export class ActiveListDto {
  @ApiProperty({ description: 'List name.', example: 'un-xml' })
  list: string;
  @ApiPropertyOptional({
    description: 'The version (load id) in force; absent before the first load.',
    example: 'load_5f0c2a9e-3b7d-4c1a-9e8f-0a1b2c3d4e5f',
  })
  version?: string;
  @ApiProperty({ description: 'Entries in force.', example: 14, type: 'integer' })
  entries: number;
  @ApiPropertyOptional({
    description: 'SHA-256 of the documents in force.',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  checksum?: string;
  @ApiPropertyOptional({
    description: 'When the version came into force (ISO 8601).',
    example: '2026-12-02T12:00:00.000Z',
  })
  activated_at?: string;
}

export class ActiveListsDto {
  @ApiProperty({ description: 'Every configured list and the PEP list.', type: [ActiveListDto] })
  lists: ActiveListDto[];
}

export class PepImportDto {
  @ApiProperty({
    description:
      'CSV text with the header `name,country,position,aliases` (aliases separated by `|`). Replaces the PEP list with a new version.',
    example:
      'name,country,position,aliases\nElena Marković,RS,Deputy Minister of Finance,Elena Markovic|E. Markovic\n',
    minLength: 1,
    maxLength: 5_000_000,
  })
  @IsString()
  @Length(1, 5_000_000)
  csv: string;

  @ApiPropertyOptional({
    description: 'Re-screen every KYC profile against the new list at once (default true).',
    example: true,
    default: true,
  })
  @IsOptional()
  @IsBoolean()
  rescreen?: boolean;
}

export class PepImportAnswerDto {
  @ApiProperty({
    description: 'The new PEP list version.',
    example: 'load_5f0c2a9e-3b7d-4c1a-9e8f-0a1b2c3d4e5f',
  })
  load_id: string;
  @ApiProperty({ description: 'Persons imported.', example: 2, type: 'integer' })
  parties: number;
  @ApiProperty({ description: 'Names and aliases stored.', example: 4, type: 'integer' })
  entries: number;
  @ApiProperty({ description: 'Profiles re-screened.', example: 12, type: 'integer' })
  rescreened: number;
  @ApiProperty({
    description: 'Profiles with a PEP hit after the import.',
    example: 1,
    type: 'integer',
  })
  pep_hits: number;
}

export class IncidentQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description: 'Only incidents in this status.',
    enum: INCIDENT_STATUSES,
    example: 'open',
  })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: (typeof INCIDENT_STATUSES)[number];

  @ApiPropertyOptional({
    description: 'Only incidents of this type (policy incident_response.incidents).',
    example: 'sanctions_hit',
    maxLength: 50,
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  type?: string;
}
