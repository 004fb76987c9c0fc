import { TRON_ADDRESS_PATTERN, IsTronAddress } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

const RECEIVER = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';

export class AddAllowedReceiverDto {
  @ApiProperty({
    description: 'Receiver to allow (Base58 or 41-hex).',
    pattern: TRON_ADDRESS_PATTERN,
    example: RECEIVER,
  })
  @IsTronAddress()
  receiver_address: string;

  @ApiPropertyOptional({
    description: 'What the receiver is.',
    maxLength: 100,
    example: 'hot wallet',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}

export class ReceiverParam {
  @ApiProperty({
    description: 'Managed account: Base58 (T…) or 41-prefixed hex.',
    pattern: TRON_ADDRESS_PATTERN,
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;

  @ApiProperty({
    description: 'Receiver on the allow-list: Base58 (T…) or 41-prefixed hex.',
    pattern: TRON_ADDRESS_PATTERN,
    example: RECEIVER,
  })
  @IsTronAddress()
  receiver: string;
}

export class AllowedReceiverDto {
  @ApiProperty({ description: 'Receiver.', example: RECEIVER }) receiver_address: string;
  @ApiPropertyOptional({ description: 'Label.', example: 'hot wallet' }) label?: string;
  @ApiProperty({
    description: 'From when it is allowed (addition + cooling-off, wall time).',
    example: '2026-12-04T12:00:00.000Z',
  })
  active_from: string;
  @ApiProperty({ description: 'Whether the cooling-off has ended.', example: false })
  active: boolean;
  @ApiProperty({ description: 'When it was added.', example: '2026-12-02T12:00:00.000Z' })
  created_at: string;
}

export class AllowedReceiverListDto {
  @ApiProperty({ description: 'Managed account.', example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  address: string;
  @ApiProperty({ description: 'Policy cooling-off period, hours.', example: 48 })
  cooling_off_hours: number;
  @ApiProperty({ description: 'Receivers.', type: [AllowedReceiverDto] })
  receivers: AllowedReceiverDto[];
}
