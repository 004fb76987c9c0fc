import type { Operation } from '../operations/operation.types.js';
import { isUnsuccessful, throwFailure } from '../staking/staking-answers.js';
import type { VoteEntryViewDto, VoteResponseDto } from './dto/vote-read.dto.js';
import { totalVotes, type VoteEntry } from './vote-rules.js';

const MESSAGES: Record<string, string> = {
  built:
    'Transaction built: sign its txID with the owner key and POST it to /api/v1/operations/{operation_id}/signature.',
  signed:
    'Transaction signed; the node could not be reached, it is re-sent automatically until it expires.',
  broadcast:
    'Vote broadcast; it replaces all previous votes once in a block, and is tallied (and earns) from the next maintenance.',
  confirmed: 'Vote confirmed on the solidified chain.',
};

export const viewOf = (votes: readonly VoteEntry[]): VoteEntryViewDto[] =>
  votes.map((v) => ({ witness_address: v.witness, vote_count: v.count }));

/** The answer of /vote and /unvote: the resulting vote set and where its operation stands. */
export function voteAnswer(
  op: Operation,
  tronPower: number,
  single?: { witness: string; count: number },
): VoteResponseDto {
  if (isUnsuccessful(op)) throwFailure(op);
  const votes = op.params.votes ?? [];
  return {
    vote_id: op.id,
    operation_id: op.id,
    address: op.owner_address,
    ...(single ? { witness_address: single.witness, vote_count: single.count } : {}),
    votes: viewOf(votes),
    total_votes: totalVotes(votes),
    tron_power: tronPower,
    status: op.state,
    operation_state: op.state,
    ...(op.txid ? { txid: op.txid } : {}),
    timestamp: new Date().toISOString(),
    message: MESSAGES[op.state] ?? `Operation ${op.state}.`,
    ...(op.mode === 'unsigned' && op.state === 'built'
      ? { transaction: op.unsigned_tx as unknown as Record<string, unknown> }
      : {}),
  };
}
