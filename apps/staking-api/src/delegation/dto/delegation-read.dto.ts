import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELEGATION_STATUSES } from '../resource-delegation.schema.js';

const OWNER = 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy';
const RECEIVER = 'TKSXDA8HfE9E1y39RczVQ1ZascUEtaSToF';
const AT = '2026-12-02T12:00:00.000Z';

/** The seeds' DelegationResponse, plus where the operation stands. */
export class DelegationWriteResponseDto {
  @ApiProperty({
    description: 'Id of the delegation record (delegate) or of the operation (undelegate).',
    example: '6f1e2d3c4b5a69788796a5b4c3d2e1f0',
  })
  delegation_id: string;
  @ApiProperty({ example: OWNER }) address: string;
  @ApiProperty({ example: RECEIVER }) receiver_address: string;
  @ApiProperty({ description: 'TRX of stake.', example: 100 }) amount: number;
  @ApiProperty({ enum: ['ENERGY', 'BANDWIDTH'], example: 'ENERGY' }) resource: string;
  @ApiProperty({
    description: 'Record status: pending until the operation is final.',
    enum: DELEGATION_STATUSES,
    example: 'pending',
  })
  status: string;
  @ApiProperty({ description: 'Locked delegation.', example: false }) lock: boolean;
  @ApiProperty({
    type: 'integer',
    description: 'Lock length in blocks as the chain applies it (0 unlocked).',
    example: 0,
  })
  lock_period: number;
  @ApiPropertyOptional({
    description: 'Energy or bandwidth the amount yields at the current network totals.',
    type: 'integer',
    example: 947,
  })
  resource_units?: number;
  @ApiProperty({ example: '4c2c6d2e-4b46-4bb8-9df3-7f6c0e3d1a55' }) operation_id: string;
  @ApiProperty({ example: 'broadcast' }) operation_state: string;
  @ApiProperty({ example: 'Transaction broadcast.' }) message: string;
  @ApiPropertyOptional({
    description: 'Transaction id once signed.',
    example: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
  })
  txid?: string;
  @ApiPropertyOptional({
    description: 'Operation that activated the receiver first (activate_receiver).',
    example: '9a2c6d2e-4b46-4bb8-9df3-7f6c0e3d1a55',
  })
  activation_operation_id?: string;
  @ApiPropertyOptional({
    description: 'mode "unsigned": the transaction to sign.',
    example: { txID: '0f1e…', raw_data_hex: '0a02…' },
  })
  transaction?: Record<string, unknown>;
  @ApiProperty({ example: AT }) timestamp: string;
}

export class ChainDelegationDto {
  @ApiProperty({ example: OWNER }) from_address: string;
  @ApiProperty({ example: RECEIVER }) to_address: string;
  @ApiProperty({ enum: ['ENERGY', 'BANDWIDTH'], example: 'ENERGY' }) resource: string;
  @ApiProperty({ description: 'TRX delegated, as the chain holds it.', example: 150 })
  amount: number;
  @ApiProperty({ description: 'TRX that can be undelegated now.', example: 50 })
  unlocked_amount: number;
  @ApiProperty({ description: 'TRX a running lock holds.', example: 100 }) locked_amount: number;
  @ApiProperty({
    description: 'End of the running lock (chain time), null when none.',
    example: AT,
    nullable: true,
    type: String,
  })
  lock_expires_at: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'Energy or bandwidth the receiver gets from it at the current network totals.',
    example: 1420,
  })
  resource_units: number;
  @ApiProperty({ description: 'TRX our records account for on this delegation.', example: 150 })
  recorded_amount: number;
  @ApiProperty({
    description: 'False when our records differ from the chain: the chain amounts above hold.',
    example: true,
  })
  matches_records: boolean;
}

/** A resource_delegations record (the seeds' fields) and how it stands against the chain. */
export class DelegationRecordDto {
  @ApiProperty({ example: '6f1e2d3c4b5a69788796a5b4c3d2e1f0' }) id: string;
  @ApiProperty({ example: OWNER }) from_address: string;
  @ApiProperty({ example: RECEIVER }) to_address: string;
  @ApiProperty({ enum: ['ENERGY', 'BANDWIDTH'], example: 'ENERGY' }) resource_type: string;
  @ApiProperty({ description: 'TRX delegated by this operation.', example: 100 }) amount: number;
  @ApiProperty({ description: 'TRX of it still delegated per our records.', example: 100 })
  remaining_amount: number;
  @ApiProperty({ example: false }) locked: boolean;
  @ApiProperty({ enum: DELEGATION_STATUSES, example: 'active' }) status: string;
  @ApiProperty({ example: AT }) created_at: string;
  @ApiProperty({
    description: 'End of the lock (chain time); null for an unlocked delegation.',
    example: null,
    nullable: true,
    type: String,
  })
  expires_at: string | null;
  @ApiProperty({ example: '4c2c6d2e-4b46-4bb8-9df3-7f6c0e3d1a55' }) operation_id: string;
  @ApiPropertyOptional({ example: '0f1e…' }) transaction_hash?: string;
  @ApiPropertyOptional({ description: 'Energy top-up policy that made it.', example: 'e1f0…' })
  policy_id?: string;
  @ApiProperty({
    enum: ['matches_chain', 'chain_differs', 'not_on_chain', 'not_final'],
    description:
      'How the record stands against the chain: chain_differs / not_on_chain mean the chain holds another amount (chain_amount) and wins.',
    example: 'matches_chain',
  })
  chain_status: string;
  @ApiProperty({
    description: 'TRX the chain holds for this record’s (from, to, resource).',
    example: 100,
  })
  chain_amount: number;
}

export class DelegationsViewDto {
  @ApiProperty({ example: OWNER }) address: string;
  @ApiProperty({ type: [ChainDelegationDto], description: 'What the address delegates (chain).' })
  outgoing: ChainDelegationDto[];
  @ApiProperty({ type: [ChainDelegationDto], description: 'What it receives (chain).' })
  incoming: ChainDelegationDto[];
  @ApiProperty({ type: [DelegationRecordDto], description: 'Our records for either side.' })
  records: DelegationRecordDto[];
  @ApiProperty({
    description: 'True when the chain index had more counterparts than one answer reads.',
    example: false,
  })
  truncated: boolean;
  @ApiProperty({ description: 'Chain time of the answer.', example: AT }) chain_time: string;
  @ApiProperty({ example: AT }) timestamp: string;
}
