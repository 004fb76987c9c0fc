import { Injectable, Logger } from '@nestjs/common';
import { OperationsRepository } from '../operations/operations.repository.js';
import { sameVotes, type VoteEntry } from './vote-rules.js';
import { VotingRepository, type HistoryKind } from './voting.repository.js';

/**
 * Records vote changes the service did not make: an unfreeze that leaves too little TRON power
 * makes the chain scale every vote down (UnfreezeBalanceV2 updateVote), and votes may change
 * outside the service. Compares the chain's votes with the last ones the service knew; skipped
 * while a vote operation of the owner is open (its settlement records it).
 */
@Injectable()
export class VoteObserver {
  private readonly logger = new Logger('VoteObserver');

  constructor(
    private readonly repo: VotingRepository,
    private readonly operations: OperationsRepository,
  ) {}

  async observe(address: string, chainVotes: VoteEntry[], at = new Date()): Promise<boolean> {
    const known = await this.repo.lastKnownVotes(address);
    if (!known || sameVotes(known.votes, chainVotes)) return false;
    const open = await this.operations.findOpenFor(address);
    if (open.some((op) => op.kind === 'vote')) return false;
    const kind: HistoryKind = scaledDown(known.votes, chainVotes)
      ? 'chain_scaled_down'
      : 'chain_changed';
    const recorded = await this.repo.append({
      id: `observed:${address}:${known.seq}`,
      address,
      kind,
      votes: chainVotes,
      previous_votes: known.votes,
      at,
    });
    if (recorded)
      this.logger.log(
        { address, kind, votes: chainVotes, previous: known.votes },
        'Vote change observed',
      );
    return recorded;
  }
}

/** Every chain vote is for a witness voted before, with no more votes than before. */
function scaledDown(before: VoteEntry[], after: VoteEntry[]): boolean {
  const was = new Map(before.map((v) => [v.witness, v.count]));
  return after.every((v) => (was.get(v.witness) ?? -1) >= v.count);
}
