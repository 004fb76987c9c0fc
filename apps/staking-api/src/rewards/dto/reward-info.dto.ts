import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ClaimHistoryEntryDto {
  @ApiProperty({ description: 'Id of the claim.', example: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' })
  claim_id: string;
  @ApiProperty({ description: 'TRX withdrawn by the claim.', example: 12.512 })
  amount: number;
  @ApiProperty({ description: 'Part attributed to ENERGY stake, TRX.', example: 8.0 })
  energy_reward: number;
  @ApiProperty({ description: 'Part attributed to BANDWIDTH stake, TRX.', example: 4.512 })
  bandwidth_reward: number;
  @ApiPropertyOptional({ description: 'txid of the WithdrawBalance.', example: 'ab'.repeat(32) })
  transaction_hash?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Block of the claim.', example: 1234 })
  block_number?: number;
  @ApiProperty({ description: 'Block time of the claim.', example: '2026-11-21T12:00:00.000Z' })
  claimed_at: string;
  @ApiProperty({
    enum: ['api', 'policy'],
    description: 'Requested through the API or by the claim-policy job.',
    example: 'api',
  })
  source: string;
}

/** GET /{address}/rewards: the seeds' RewardInfo plus the chain's claim rule. */
export class RewardInfoDto {
  @ApiProperty({ description: 'The address.', example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })
  address: string;
  @ApiProperty({
    description: 'Unclaimed voting reward (node getReward: allowance + accrued), TRX.',
    example: 3.25,
  })
  unclaimed_reward: number;
  @ApiProperty({
    description: 'Last claim on chain (account latest_withdraw_time); null if it never claimed.',
    example: '2026-11-20T12:00:00.000Z',
    nullable: true,
    type: String,
  })
  last_claim_time: string | null;
  @ApiProperty({
    description:
      'Earliest chain time of the next claim: last claim + 24 h (java-tron WithdrawBalanceActuator); now when it never claimed.',
    example: '2026-11-21T12:00:00.000Z',
  })
  next_claim_at: string;
  @ApiProperty({
    description:
      'Whether POST /claim-reward would be taken now (24 h passed, reward > 0, no claim in flight).',
    example: true,
  })
  can_claim_now: boolean;
  @ApiPropertyOptional({
    description: 'A claim of this address still waiting on its operation.',
    example: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  })
  pending_claim_id?: string;
  @ApiProperty({ description: 'TRX claimed through this service, all claims.', example: 120.5 })
  total_reward: number;
  @ApiProperty({ description: 'Claimed TRX attributed to ENERGY stake.', example: 80.25 })
  energy_reward: number;
  @ApiProperty({ description: 'Claimed TRX attributed to BANDWIDTH stake.', example: 40.25 })
  bandwidth_reward: number;
  @ApiProperty({ type: 'integer', description: 'Confirmed claims.', example: 7 })
  claims_count: number;
  @ApiProperty({
    description: 'Block time of the latest confirmed claim; null before the first.',
    example: '2026-11-20T12:00:00.000Z',
    nullable: true,
    type: String,
  })
  last_reward_time: string | null;
  @ApiProperty({ type: [ClaimHistoryEntryDto], description: 'Newest claims first.' })
  claim_history: ClaimHistoryEntryDto[];
  @ApiProperty({
    description: 'Chain time of the answer (head block).',
    example: '2026-11-21T12:00:00.000Z',
  })
  chain_time: string;
  @ApiPropertyOptional({ description: 'Served from the Redis cache.', example: false })
  cached?: boolean;
  @ApiProperty({ description: 'Time of the answer.', example: '2026-11-21T12:00:00.000Z' })
  timestamp: string;
}
