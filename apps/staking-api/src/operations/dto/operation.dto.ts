import { PaginationQueryDto, ErrorCode, withCode } from '@app/common';
import { IsTronAddress } from '@app/tron';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, Matches } from 'class-validator';
import { OPERATION_STATES } from '../operation.types.js';

export class OperationHistoryDto {
  @ApiProperty({ enum: OPERATION_STATES, example: 'broadcast' }) state: string;
  @ApiProperty({ example: '2026-11-21T12:00:01.000Z' }) at: string;
  @ApiPropertyOptional({ example: 'accepted by node' }) note?: string;
}

export class ComplianceReasonDto {
  @ApiProperty({
    description:
      'The check behind the reason: kyc, kyc_level, sanctions_address, sanctions_name, pep_match, velocity, velocity_amount, large_amount, new_receivers, rapid_stake_unstake, risk_score.',
    example: 'risk_score',
  })
  check: string;
  @ApiPropertyOptional({
    description: 'The S-code this reason blocks or escalates with, when it has one.',
    example: 'S133',
  })
  code?: string;
  @ApiProperty({
    description: 'What the check found, in words (addresses, amounts, limits).',
    example: 'score 45 (medium) requires an approval',
  })
  detail: string;
}

/** The compliance decision taken before the operation was created (issue 13). */
export class OperationComplianceDto {
  @ApiProperty({
    description:
      'allow, or approval_required (the write waited for approvers). A blocked write creates no operation.',
    enum: ['allow', 'approval_required'],
    example: 'allow',
  })
  decision: string;
  @ApiProperty({
    description: 'Every reason the checks gave (empty when nothing was noticed).',
    type: [ComplianceReasonDto],
  })
  reasons: ComplianceReasonDto[];
  @ApiPropertyOptional({
    description:
      'Risk score 0–100 (sum of the policy weights of the factors present); null without AML.',
    example: 25,
    nullable: true,
    type: Number,
  })
  risk_score: number | null;
  @ApiPropertyOptional({
    description: 'Band of the score by the policy thresholds; null without AML.',
    enum: ['low', 'medium', 'high'],
    example: 'low',
    nullable: true,
    type: String,
  })
  risk_band: string | null;
  @ApiProperty({
    description: 'The factors of the score and their weights.',
    example: { kyc_basic: 15, new_counterparty: 10 },
  })
  factors: Record<string, number>;
  @ApiProperty({ description: 'When the decision was taken.', example: '2026-11-21T12:00:00.000Z' })
  decided_at: string;
}

export class OperationDto {
  @ApiProperty({ example: '0b7f7f8e-6a53-4a8f-9d7e-1c8a1c2f9f10' }) operation_id: string;
  @ApiProperty({
    example: 'freeze',
    enum: [
      'freeze',
      'unfreeze',
      'withdraw_expire_unfreeze',
      'cancel_all_unfreeze',
      'vote',
      'delegate',
      'undelegate',
      'claim_reward',
      'activate',
    ],
  })
  kind: string;
  @ApiProperty({ enum: OPERATION_STATES, example: 'broadcast' }) state: string;
  @ApiProperty({ enum: ['custodial', 'unsigned'], example: 'custodial' }) mode: string;
  @ApiProperty({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' }) owner_address: string;
  @ApiProperty({
    description: 'Parameters of the on-chain action; amounts in TRX.',
    example: { amount: 100, resource: 'ENERGY' },
  })
  params: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'staking:6f1e2d3c4b5a69788796a5b4c3d2e1f0' }) subject?: string;
  @ApiPropertyOptional({ description: 'Transaction id (64 hex).', example: 'a3f1…' })
  transaction_hash?: string;
  @ApiPropertyOptional({
    description: 'Unsigned transaction to sign (mode "unsigned", state built).',
  })
  transaction?: Record<string, unknown>;
  @ApiPropertyOptional({
    description:
      'Block that holds the transaction, from the full node as soon as it is known (final once the state is confirmed).',
    example: 1234567,
  })
  block_number?: number;
  @ApiPropertyOptional({
    description:
      'Blocks on top of block_number at the full node head. The operation is confirmed once the solidified head (about 18 blocks behind on mainnet) has passed its block.',
    example: 4,
  })
  confirmations?: number;
  @ApiPropertyOptional({
    description: 'When the service first saw the transaction in a block.',
    example: '2026-11-21T12:00:04.000Z',
  })
  included_at?: string;
  @ApiPropertyOptional({
    description: 'When the service saw the block solidified.',
    example: '2026-11-21T12:01:00.000Z',
  })
  confirmed_at?: string;
  @ApiProperty({
    description: 'How many times the signed bytes were sent to the node (same txid each time).',
    example: 1,
  })
  broadcast_attempts: number;
  @ApiPropertyOptional({
    description:
      'What the chain reported, TRX: withdraw_expire_amount (withdrawals, cancel-unfreeze), withdraw_amount (reward claims), cancelled_unfreeze per resource (cancel-unfreeze).',
    example: { withdraw_expire_amount: 100, cancelled_unfreeze: { ENERGY: 200, BANDWIDTH: 0 } },
  })
  result?: {
    withdraw_amount?: number;
    withdraw_expire_amount?: number;
    cancelled_unfreeze?: { ENERGY: number; BANDWIDTH: number };
  };
  @ApiPropertyOptional({ example: 0.268 }) fee_trx?: number;
  @ApiPropertyOptional({
    description: 'Expiration of the transaction (ms since epoch, chain time).',
    example: 1795000000000,
  })
  expiration?: number;
  @ApiPropertyOptional({ example: { code: 'S201', message: 'Contract validate error : …' } })
  error?: { code: string; message: string };
  @ApiPropertyOptional({
    description:
      'The compliance decision of the write: outcome, reasons, risk score, band and factors (absent on operations made before it was recorded).',
    type: OperationComplianceDto,
  })
  compliance?: OperationComplianceDto;
  @ApiProperty({ type: [OperationHistoryDto] }) history: OperationHistoryDto[];
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-21T12:00:03.000Z' }) updated_at: string;
}

export class OperationListDto {
  @ApiProperty({ type: [OperationDto] }) operations: OperationDto[];
  @ApiProperty({ example: 1 }) total_count: number;
  @ApiProperty({ example: 0 }) skip: number;
  @ApiProperty({ example: 100 }) limit: number;
}

export class OperationListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Owner address.' })
  @IsOptional()
  @IsTronAddress()
  address?: string;

  @ApiPropertyOptional({ enum: OPERATION_STATES })
  @IsOptional()
  @IsIn(OPERATION_STATES as unknown as string[])
  state?: string;
}

export class SubmitSignatureDto {
  @ApiProperty({
    description:
      'Signature(s) of the transaction id by the owner key: 65 bytes (r‖s‖v) as 130 hex characters.',
    example: ['5f3e…1b'],
    type: [String],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @Matches(/^[0-9a-fA-F]{130}$/, {
    each: true,
    ...withCode(ErrorCode.INVALID_SIGNATURE_FORMAT, 'each signature must be 130 hex characters'),
  })
  signature: string[];
}

export class OperationIdParam {
  @ApiProperty({
    description: 'Operation id (UUID).',
    format: 'uuid',
    example: '7d3f4c2a-1b6e-4f8d-9a0c-5e2b7f1d3c4a',
  })
  @Matches(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    withCode(ErrorCode.VALIDATION_FAILED, 'id must be an operation id'),
  )
  id: string;
}
