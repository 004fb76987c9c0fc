import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OperationSettlement, type SettlementHandler } from '../operations/operation-settlement.js';
import type { Operation } from '../operations/operation.types.js';
import { StakingCache } from '../staking/staking-cache.js';
import { VotingRepository, type HistoryKind } from './voting.repository.js';

const KIND_OF: Record<string, HistoryKind> = {
  vote: 'vote',
  unvote: 'unvote',
  'vote-policy': 'policy_revote',
};

/**
 * Writes voting_history when a vote operation is confirmed (a failed one changed nothing on
 * chain, so nothing is recorded). Idempotent: the entry's id is the operation's.
 */
@Injectable()
export class VotingSettlementHandler implements SettlementHandler, OnModuleInit {
  constructor(
    private readonly settlement: OperationSettlement,
    private readonly repo: VotingRepository,
    private readonly cache: StakingCache,
  ) {}

  onModuleInit(): void {
    for (const type of Object.keys(KIND_OF)) this.settlement.register(type, this);
  }

  async settle(op: Operation): Promise<void> {
    if (op.state === 'confirmed' && op.kind === 'vote') {
      const known = await this.repo.lastKnownVotes(op.owner_address);
      await this.repo.append({
        id: `op:${op.id}`,
        address: op.owner_address,
        kind: KIND_OF[op.subject?.type ?? 'vote'] ?? 'vote',
        votes: op.params.votes ?? [],
        previous_votes: known?.votes ?? [],
        operation_id: op.id,
        txid: op.txid,
        block_number: op.block_number,
        actor: { ...op.requested_by },
        at: new Date(op.block_timestamp ?? Date.now()),
      });
    }
    await this.cache.invalidate(op.owner_address);
  }
}
