import { sunToTrx } from '@app/common';
import type { ClaimRewardResponseDto } from './dto/claim-reward.dto.js';
import type { ClaimHistoryEntryDto } from './dto/reward-info.dto.js';
import type { ClaimPolicyDto } from './dto/claim-policy.dto.js';
import type { Operation } from '../operations/operation.types.js';
import type { ClaimPolicy } from './claim-policies.repository.js';
import type { RewardClaim } from './reward-claims.repository.js';
import type { ClaimHistoryEntry } from './reward-summary.schema.js';

const MESSAGES: Record<string, string> = {
  built:
    'Transaction built: sign its txID with the owner key and POST it to /api/v1/operations/{operation_id}/signature.',
  signed:
    'Transaction signed; the node could not be reached, it is re-sent automatically until it expires.',
  broadcast:
    'Claim broadcast; the reward is in the balance once the solidified chain passes its block.',
  confirmed: 'Claim confirmed on the solidified chain.',
};

export const trx = (sun: bigint | number | undefined) => sunToTrx(BigInt(sun ?? 0));
const iso = (d: Date | number) => new Date(d).toISOString();

export function claimAnswer(claim: RewardClaim, op: Operation): ClaimRewardResponseDto {
  return {
    claim_id: claim.claim_id,
    address: claim.address,
    status: claim.status,
    expected_reward: trx(claim.expected_sun),
    ...(claim.amount_sun !== undefined ? { amount_claimed: trx(claim.amount_sun) } : {}),
    operation_id: op.id,
    operation_state: op.state,
    ...(op.txid ? { transaction_hash: op.txid } : {}),
    ...(op.mode === 'unsigned' && op.state === 'built'
      ? { transaction: op.unsigned_tx as unknown as Record<string, unknown> }
      : {}),
    message: MESSAGES[op.state] ?? `Operation ${op.state}.`,
    timestamp: new Date().toISOString(),
  };
}

export const historyEntryDto = (h: ClaimHistoryEntry): ClaimHistoryEntryDto => ({
  claim_id: h.claim_id,
  amount: trx(h.amount_sun),
  energy_reward: trx(h.energy_sun),
  bandwidth_reward: trx(h.bandwidth_sun),
  ...(h.transaction_hash ? { transaction_hash: h.transaction_hash } : {}),
  ...(h.block_number !== undefined ? { block_number: h.block_number } : {}),
  claimed_at: iso(h.claimed_at),
  source: h.source,
});

export const policyDto = (p: ClaimPolicy): ClaimPolicyDto => ({
  address: p.address,
  enabled: p.enabled,
  min_reward_trx: trx(p.min_reward_sun),
  compound: p.compound_resource ? { resource: p.compound_resource } : null,
  ...(p.last_claim_id ? { last_claim_id: p.last_claim_id } : {}),
  created_at: iso(p.created_at),
  updated_at: iso(p.updated_at),
});
