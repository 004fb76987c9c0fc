import { ErrorCode, PaginationQueryDto, withCode } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { APPROVAL_STATUSES } from '../approval.schema.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OWNER = 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy';

export class ApprovalIdParam {
  @ApiProperty({
    description: 'Approval id (UUID).',
    format: 'uuid',
    example: '2b1f6c3e-8a4d-4e7f-9b0c-1d2e3f4a5b6c',
  })
  @Matches(UUID, withCode(ErrorCode.VALIDATION_FAILED, 'id must be an approval id'))
  id: string;
}

export class ApprovalListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description: 'Approvals in this status (default pending).',
    enum: APPROVAL_STATUSES,
    default: 'pending',
    example: 'pending',
  })
  @IsOptional()
  @IsIn(APPROVAL_STATUSES as unknown as string[])
  status?: (typeof APPROVAL_STATUSES)[number];
}

export class ApproveRequestDto {
  @ApiPropertyOptional({
    description: 'Why the approver agrees (kept in the approval and the audit trail).',
    maxLength: 500,
    example: 'Checked with treasury.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  comment?: string;
}

export class RejectRequestDto {
  @ApiProperty({
    description: 'Why the request is rejected (required).',
    minLength: 1,
    maxLength: 500,
    example: 'Not in this quarter’s plan.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  comment: string;
}

export class BeforeAfterDto {
  @ApiProperty({ description: 'Before the write.', example: 1000 }) before: number;
  @ApiProperty({ description: 'After the write, as simulated.', example: 61000 }) after: number;
}

export class ScaledVoteDto {
  @ApiProperty({ description: 'Witness voted for.', example: OWNER }) witness_address: string;
  @ApiProperty({ description: 'Votes now.', type: 'integer', example: 1000 }) before: number;
  @ApiProperty({ description: 'Votes the chain leaves.', type: 'integer', example: 400 })
  after: number;
}

export class ScreeningHitDto {
  @ApiProperty({ description: 'List the address is on.', example: 'ofac_sdn' }) list: string;
  @ApiProperty({ description: "The list's reference of the entry.", example: '36216' })
  ref: string;
  @ApiProperty({ description: 'Label of the entry.', example: 'LAZARUS GROUP' }) label: string;
}

export class ReceiverScreeningDto {
  @ApiProperty({ description: 'Receiver screened.', example: OWNER }) address: string;
  @ApiProperty({ description: 'Whether it is on a screening list.', example: false })
  hit: boolean;
  @ApiProperty({ description: 'The entries found.', type: [ScreeningHitDto], example: [] })
  hits: ScreeningHitDto[];
}

export class SpendingEffectDto {
  @ApiProperty({ description: 'Operation the role limits count it as.', example: 'stake' })
  operation: string;
  @ApiProperty({ description: 'Amount counted, TRX.', example: 60000 }) amount_trx: number;
  @ApiProperty({ description: "Requester's role.", example: 'manager' }) role: string;
  @ApiProperty({
    description: 'Per-operation maximum of the role, TRX (null: unlimited).',
    nullable: true,
    type: Number,
    example: 100000,
  })
  max_operation_trx: number | null;
  @ApiProperty({
    description: 'Daily limit of the role, TRX (null: unlimited).',
    nullable: true,
    type: Number,
    example: 500000,
  })
  daily_limit_trx: number | null;
  @ApiProperty({ description: 'Already used today by the requester, TRX.', example: 0 })
  used_today_trx: number;
}

export class ApprovalEffectDto {
  @ApiProperty({
    description:
      'On-chain action (freeze, vote, delegate…), or allow_list_add / allow_list_remove for an allow-list change.',
    example: 'freeze',
  })
  operation: string;
  @ApiPropertyOptional({ description: 'Amount, TRX.', example: 60000 }) amount_trx?: number;
  @ApiPropertyOptional({
    description: 'Resource.',
    enum: ['ENERGY', 'BANDWIDTH'],
    example: 'ENERGY',
  })
  resource?: string;
  @ApiPropertyOptional({ description: 'Receiver (delegations).', example: OWNER })
  receiver_address?: string;
  @ApiPropertyOptional({ description: 'Votes cast (votes).', type: 'integer', example: 1000 })
  votes_total?: number;
  @ApiPropertyOptional({
    description:
      'Votes the new set moves (votes): the sum over witnesses of max(0, new − current). What the witness_voting threshold counts.',
    type: 'integer',
    example: 1000,
  })
  votes_moved?: number;
  @ApiPropertyOptional({
    description:
      "Delegations and allow-list additions: the receiver's compliance screening (sanctions lists by address). For a delegation, a change before quorum sends the approval back.",
    type: ReceiverScreeningDto,
  })
  receiver_screening?: ReceiverScreeningDto;
  @ApiPropertyOptional({
    description:
      'Delegations: what the node lets the owner delegate of this resource now (getcandelegatedmaxsize, less delegations in flight), TRX. A change before quorum sends the approval back.',
    example: 2000,
  })
  can_delegate_max_trx?: number;
  @ApiPropertyOptional({
    description: 'Allow-list changes: how long after it is applied an addition is accepted.',
    type: 'integer',
    example: 48,
  })
  cooling_off_hours?: number;
  @ApiPropertyOptional({ description: 'Allow-list additions: the label.', example: 'hot wallet' })
  label?: string;
  @ApiPropertyOptional({ description: 'Free balance, TRX (writes).', type: BeforeAfterDto })
  balance_trx?: BeforeAfterDto;
  @ApiPropertyOptional({ description: 'TRON power, votes (writes).', type: BeforeAfterDto })
  tron_power?: BeforeAfterDto;
  @ApiPropertyOptional({ description: 'Energy limit (writes).', type: BeforeAfterDto })
  energy_limit?: BeforeAfterDto;
  @ApiPropertyOptional({ description: 'Bandwidth limit (writes).', type: BeforeAfterDto })
  bandwidth_limit?: BeforeAfterDto;
  @ApiPropertyOptional({
    description: 'Votes an unfreeze makes the chain scale down (writes).',
    type: [ScaledVoteDto],
    example: [],
  })
  votes_scaled_down?: ScaledVoteDto[];
  @ApiPropertyOptional({
    description: 'The role limits it consumes (writes).',
    type: SpendingEffectDto,
  })
  spending?: SpendingEffectDto;
  @ApiProperty({ description: 'When it was simulated.', example: '2026-12-02T12:00:00.000Z' })
  computed_at: string;
}

export class ApprovalPendingDto {
  @ApiProperty({ description: 'Approval id.', example: '2b1f6c3e-8a4d-4e7f-9b0c-1d2e3f4a5b6c' })
  approval_id: string;
  @ApiProperty({
    description: 'Always pending_approval.',
    enum: ['pending_approval'],
    example: 'pending_approval',
  })
  status: string;
  @ApiProperty({ description: 'Approvers needed.', type: 'integer', example: 2 })
  required_approvals: number;
  @ApiProperty({ description: 'Approvals so far.', type: 'integer', example: 0 })
  approvals_received: number;
  @ApiProperty({
    description: 'Expires (wall time) unless approved.',
    example: '2026-12-03T12:00:00.000Z',
  })
  expires_at: string;
  @ApiProperty({
    description:
      'The operation waiting (state pending_approval); for an allow-list change (no operation), allow-list:<approval id>.',
    example: '7d3f4c2a-1b6e-4f8d-9a0c-5e2b7f1d3c4a',
  })
  operation_id: string;
  @ApiProperty({
    description: 'Simulated effect, from fresh chain state.',
    type: ApprovalEffectDto,
  })
  effect: ApprovalEffectDto;
  @ApiPropertyOptional({
    description: 'True when quorum was reached but the material facts had changed: approve again.',
    example: true,
  })
  facts_changed?: boolean;
}

export class ApprovalPrincipalDto {
  @ApiProperty({
    description: 'user, api_key, or system (a job of the service asking for its own write).',
    example: 'user',
  })
  kind: string;
  @ApiProperty({ description: 'User or API key id.', example: '665f1c2e9b1e8a0012345678' })
  id: string;
  @ApiProperty({ description: 'Role.', example: 'manager' }) role: string;
  @ApiPropertyOptional({ description: 'Username (users).', example: 'alice' }) username?: string;
}

export class ApprovalVoteDto {
  @ApiProperty({ description: 'Who approved.', type: ApprovalPrincipalDto })
  approver: ApprovalPrincipalDto;
  @ApiPropertyOptional({ description: 'Comment.', example: 'ok' }) comment?: string;
  @ApiProperty({ description: 'When.', example: '2026-12-02T12:00:00.000Z' }) at: string;
}

export class ApprovalRejectionDto {
  @ApiProperty({ description: 'Who rejected.', type: ApprovalPrincipalDto })
  by: ApprovalPrincipalDto;
  @ApiProperty({ description: 'Why.', example: 'No.' }) comment: string;
  @ApiProperty({ description: 'When.', example: '2026-12-02T12:00:00.000Z' }) at: string;
}

export class ApprovalFailureDto {
  @ApiProperty({ description: 'S-code of the refusal on re-check.', example: 'S201' }) code: string;
  @ApiProperty({ description: 'Message.', example: 'Insufficient balance.' }) message: string;
}

export class ApprovalDto {
  @ApiProperty({ description: 'Approval id.', example: '2b1f6c3e-8a4d-4e7f-9b0c-1d2e3f4a5b6c' })
  approval_id: string;
  @ApiProperty({ description: 'Status.', enum: APPROVAL_STATUSES, example: 'pending' })
  status: string;
  @ApiProperty({ description: 'Policy rule (approval_workflows).', example: 'high_value_staking' })
  rule: string;
  @ApiProperty({ description: 'Approvers needed.', type: 'integer', example: 2 })
  required_approvals: number;
  @ApiProperty({ description: 'Approvals so far.', type: 'integer', example: 1 })
  approvals_received: number;
  @ApiProperty({ description: 'Approvals given.', type: [ApprovalVoteDto], example: [] })
  approvals: ApprovalVoteDto[];
  @ApiPropertyOptional({ description: 'The rejection, if rejected.', type: ApprovalRejectionDto })
  rejection?: ApprovalRejectionDto;
  @ApiProperty({ description: 'Who asked.', type: ApprovalPrincipalDto })
  requester: ApprovalPrincipalDto;
  @ApiProperty({
    description:
      'The operation; for an allow-list change (no operation), allow-list:<approval id>.',
    example: '7d3f4c2a-1b6e-4f8d-9a0c-5e2b7f1d3c4a',
  })
  operation_id: string;
  @ApiProperty({
    description: 'On-chain action, or allow_list_add / allow_list_remove.',
    example: 'freeze',
  })
  operation_kind: string;
  @ApiPropertyOptional({
    description: 'Why another step (compliance) required approval, when it did.',
    type: [String],
    example: ['risk score 75 (high)'],
  })
  reasons?: string[];
  @ApiProperty({ description: 'Owner address.', example: OWNER }) owner_address: string;
  @ApiProperty({
    description: 'Simulated effect (the facts the approvers decide on).',
    type: ApprovalEffectDto,
  })
  effect: ApprovalEffectDto;
  @ApiProperty({ description: 'Expiry (wall time).', example: '2026-12-03T12:00:00.000Z' })
  expires_at: string;
  @ApiProperty({ description: 'Created.', example: '2026-12-02T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ description: 'Last change.', example: '2026-12-02T12:00:00.000Z' })
  updated_at: string;
  @ApiPropertyOptional({
    description: 'Why the approved write was refused on re-check.',
    type: ApprovalFailureDto,
  })
  failure?: ApprovalFailureDto;
}

export class ApprovalListDto {
  @ApiProperty({ description: 'Approvals of the status asked.', type: [ApprovalDto] })
  approvals: ApprovalDto[];
  @ApiProperty({ description: 'Records skipped.', type: 'integer', example: 0 }) skip: number;
  @ApiProperty({ description: 'Page size.', type: 'integer', example: 100 }) limit: number;
}
