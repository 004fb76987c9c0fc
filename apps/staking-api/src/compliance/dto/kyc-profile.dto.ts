import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { KYC_LEVELS, KYC_STATUSES } from '../kyc/kyc-profile.schema.js';

export const PROFILE_KINDS = ['customer', 'platform'] as const;
export const PROFILE_ID_PATTERN = '^kyc_[0-9a-f]{12}$';

export class DocumentRefDto {
  @ApiProperty({
    description: 'Kind of document (passport, registry extract, …).',
    example: 'passport',
    minLength: 1,
    maxLength: 50,
  })
  @IsString()
  @Length(1, 50)
  type: string;

  @ApiProperty({
    description:
      'Where the document is kept (a reference in the document store), never its content.',
    example: 'docstore://kyc/2026/11/7f3a9c.pdf',
    minLength: 1,
    maxLength: 200,
  })
  @IsString()
  @Length(1, 200)
  reference: string;
}

export class KycProfileRequestDto {
  @ApiProperty({
    description:
      'Legal name of the customer or of the platform; screened against the sanctions and PEP lists.',
    example: 'Acme Payments Ltd',
    minLength: 1,
    maxLength: 200,
  })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({
    description:
      'customer: a client whose funds the accounts hold; platform: the service operator itself.',
    enum: PROFILE_KINDS,
    example: 'customer',
  })
  @IsIn(PROFILE_KINDS)
  kind: (typeof PROFILE_KINDS)[number];

  @ApiProperty({
    description:
      'Verification level; the policy (aml_kyc.kyc.levels) maps amounts to the level they need.',
    enum: KYC_LEVELS,
    example: 'basic',
  })
  @IsIn(KYC_LEVELS)
  level: (typeof KYC_LEVELS)[number];

  @ApiProperty({
    description: 'Only verified profiles let their accounts move funds.',
    enum: KYC_STATUSES,
    example: 'verified',
  })
  @IsIn(KYC_STATUSES)
  status: (typeof KYC_STATUSES)[number];

  @ApiPropertyOptional({
    description: 'ISO 3166-1 alpha-2 country; the policy lists high-risk countries.',
    example: 'DE',
    pattern: '^[A-Za-z]{2}$',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2}$/)
  country?: string;

  @ApiPropertyOptional({
    description: 'When the verification was made (ISO 8601); required when verified.',
    example: '2026-11-01T09:00:00.000Z',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  verified_at?: string;

  @ApiPropertyOptional({
    description:
      'When the verification expires (ISO 8601); afterwards the accounts cannot move funds.',
    example: '2027-11-01T09:00:00.000Z',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;

  @ApiPropertyOptional({
    description: 'References to the documents checked (never their content).',
    type: [DocumentRefDto],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DocumentRefDto)
  document_refs?: DocumentRefDto[];
}

export class KycProfileUpdateDto extends PartialType(KycProfileRequestDto) {}

export class NameHitDto {
  @ApiProperty({
    description: 'The list: ofac-sdn-csv, ofac-advanced-xml, un-xml, csv or pep.',
    example: 'un-xml',
  })
  list: string;
  @ApiProperty({ description: "The entry's reference on its list.", example: 'QDi.999' })
  ref: string;
  @ApiProperty({ description: "The listed party's primary name.", example: 'ABDUL RAHMAN YASIN' })
  name: string;
  @ApiProperty({
    description: 'The listed name or alias that matched.',
    example: 'ABDUL RAHMAN YASIN',
  })
  matched: string;
  @ApiProperty({
    description: 'Similarity 0–1 after normalising case, diacritics and word order.',
    example: 0.944,
  })
  similarity: number;
}

export class ProfileScreeningDto {
  @ApiProperty({
    description: 'Sanctions list names the profile name matches.',
    type: [NameHitDto],
  })
  sanctions_hits: NameHitDto[];
  @ApiProperty({ description: 'PEP entries the profile name matches.', type: [NameHitDto] })
  pep_hits: NameHitDto[];
  @ApiPropertyOptional({
    description: 'When the name was last screened (ISO 8601).',
    example: '2026-12-02T12:00:00.000Z',
  })
  screened_at?: string;
}

export class KycProfileDto {
  @ApiProperty({
    description: 'Profile id; link accounts with it (kyc_profile_id).',
    example: 'kyc_7f3a9c0d1e2b',
  })
  profile_id: string;
  @ApiProperty({ description: 'Legal name.', example: 'Acme Payments Ltd' })
  name: string;
  @ApiProperty({ description: 'customer or platform.', enum: PROFILE_KINDS, example: 'customer' })
  kind: string;
  @ApiProperty({ description: 'Verification level.', enum: KYC_LEVELS, example: 'basic' })
  level: string;
  @ApiProperty({ description: 'Verification status.', enum: KYC_STATUSES, example: 'verified' })
  status: string;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 country.', example: 'DE' })
  country?: string;
  @ApiPropertyOptional({
    description: 'Verified at (ISO 8601).',
    example: '2026-11-01T09:00:00.000Z',
  })
  verified_at?: string;
  @ApiPropertyOptional({
    description: 'Verification expires at (ISO 8601).',
    example: '2027-11-01T09:00:00.000Z',
  })
  expires_at?: string;
  @ApiProperty({ description: 'Document references.', type: [DocumentRefDto] })
  document_refs: DocumentRefDto[];
  @ApiProperty({ description: 'The last name screening.', type: ProfileScreeningDto })
  screening: ProfileScreeningDto;
  @ApiProperty({ description: 'Day of the next periodic (PEP) re-screen.', example: '2027-03-02' })
  review_due: string;
  @ApiProperty({ description: 'Created (ISO 8601).', example: '2026-12-02T12:00:00.000Z' })
  created_at: string;
  @ApiProperty({ description: 'Last change (ISO 8601).', example: '2026-12-02T12:00:00.000Z' })
  updated_at: string;
}

export class KycProfileListDto {
  @ApiProperty({ description: 'Profiles, newest first.', type: [KycProfileDto] })
  profiles: KycProfileDto[];
  @ApiProperty({ description: 'All profiles.', example: 1, type: 'integer' })
  total_count: number;
  @ApiProperty({ description: 'Skipped.', example: 0, type: 'integer' })
  skip: number;
  @ApiProperty({ description: 'Page size.', example: 100, type: 'integer' })
  limit: number;
}

export class ProfileIdParam {
  @ApiProperty({
    description: 'KYC profile id.',
    pattern: PROFILE_ID_PATTERN,
    example: 'kyc_7f3a9c0d1e2b',
  })
  @Matches(new RegExp(PROFILE_ID_PATTERN))
  id: string;
}
