import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { toBase58Address, TronGateway, type ChainAccount } from '@app/tron';
import { Injectable } from '@nestjs/common';
import type { Operation, SigningMode } from '../operations/operation.types.js';
import type { WriteContext } from '../operations/write-context.js';
import { WritePipeline, type WritePlan } from '../operations/write-pipeline.js';
import { StakingCache } from '../staking/staking-cache.js';
import type { VoteResponseDto } from './dto/vote-read.dto.js';
import type { UnvoteRequestDto, VoteRequestDto } from './dto/vote-write.dto.js';
import { voteAnswer } from './vote-answers.js';
import { VoteObserver } from './vote-observer.js';
import {
  checkRequestShape,
  checkVoteSet,
  mergeVotes,
  movedVotes,
  SUN_PER_VOTE,
  totalVotes,
  tronPowerVotes,
  type VoteEntry,
} from './vote-rules.js';

export type VoteSubject = 'vote' | 'unvote' | 'vote-policy';

/** A vote as the write pipeline needs it, from any caller (a request or the vote-policy job). */
export interface VoteWrite {
  owner: string;
  mode: SigningMode;
  ctx: WriteContext;
  subject: VoteSubject;
  /** The vote set from the account's current votes (chain, or an in-flight vote's). */
  votesFrom(current: VoteEntry[], powerVotes: number): VoteEntry[];
}

/** /vote and /unvote: the chain's vote rules; the write pipeline does the rest. */
@Injectable()
export class VotingService {
  private readonly limits: { maxWitnesses: number; minVotes: number };
  private readonly approvalRule: { name: string; thresholdVotes: number } | undefined;

  constructor(
    private readonly pipeline: WritePipeline,
    private readonly gateway: TronGateway,
    private readonly cache: StakingCache,
    private readonly observer: VoteObserver,
    policy: SecurityPolicy,
  ) {
    const v = policy.file.transaction_limits.voting;
    this.limits = { maxWitnesses: v.max_witnesses, minVotes: v.min_votes };
    const [name, rule] =
      Object.entries(policy.file.approval_workflows.rules).find(
        ([, r]) => r.operations.includes('vote') && r.threshold_votes !== undefined,
      ) ?? [];
    this.approvalRule =
      name && rule?.threshold_votes !== undefined
        ? { name, thresholdVotes: rule.threshold_votes }
        : undefined;
  }

  get maxWitnesses(): number {
    return this.limits.maxWitnesses;
  }

  async vote(dto: VoteRequestDto, ctx: WriteContext): Promise<VoteResponseDto> {
    const requested = requestedVotes(dto);
    checkRequestShape(requested, this.limits.maxWitnesses);
    const single = dto.votes ? undefined : requested[0];
    const { operation, power } = await this.submit({
      owner: dto.address,
      mode: dto.mode ?? 'custodial',
      ctx,
      subject: 'vote',
      votesFrom: (current) => mergeVotes(current, requested, dto.replace === true),
    });
    return voteAnswer(operation, power, single);
  }

  async unvote(dto: UnvoteRequestDto, ctx: WriteContext): Promise<VoteResponseDto> {
    const { operation, power } = await this.submit({
      owner: dto.address,
      mode: dto.mode ?? 'custodial',
      ctx,
      subject: 'unvote',
      votesFrom: (current) => {
        if (!current.length)
          throw new StakingException(ErrorCode.NO_VOTES_TO_REMOVE, undefined, {
            address: dto.address,
          });
        const witness = dto.witness_address;
        if (witness && !current.some((v) => v.witness === witness))
          throw new StakingException(
            ErrorCode.NO_VOTES_TO_REMOVE,
            'The account does not vote for this witness.',
            { address: dto.address, witness_address: witness },
          );
        const rest = witness ? current.filter((v) => v.witness !== witness) : [];
        // VoteWitnessContract needs at least one entry: the chain has no "remove all votes".
        if (!rest.length)
          throw new StakingException(ErrorCode.VOTES_CANNOT_BE_EMPTIED, undefined, {
            address: dto.address,
            current_votes: current.map((v) => ({
              witness_address: v.witness,
              vote_count: v.count,
            })),
          });
        return rest;
      },
    });
    return voteAnswer(operation, power);
  }

  /**
   * Every vote write: under the owner lock, from fresh chain state — the current votes are the
   * chain's unless a vote the node does not show yet is in flight (then that one's), and TRON
   * power is counted net of in-flight unfreezes.
   */
  async submit(write: VoteWrite): Promise<{ operation: Operation; power: number }> {
    let power = 0;
    const { operation } = await this.pipeline.submit({
      owner: write.owner,
      mode: write.mode,
      ctx: write.ctx,
      plan: async (inFlight) => {
        const [account, witnesses] = await Promise.all([
          this.gateway.getAccount(write.owner),
          this.gateway.listWitnesses(),
        ]);
        activated(account);
        const unfreezingSun = inFlight
          .filter((op) => op.kind === 'unfreeze')
          .reduce((sum, op) => sum + BigInt(op.params.amount_sun ?? '0'), 0n);
        power = tronPowerVotes(account, unfreezingSun);
        const pendingVote = inFlight.filter((op) => op.kind === 'vote').at(-1);
        // A scale-down the chain made since we last looked goes into the history before this vote.
        if (!pendingVote) await this.observer.observe(write.owner, account.votes);
        const current = pendingVote?.params.votes ?? account.votes;
        const votes = write.votesFrom(current, power);
        checkVoteSet(votes, this.limits, new Set(witnesses.map((w) => w.address)), power);
        return this.planFor(write, votes, current);
      },
    });
    await this.cache.invalidate(write.owner);
    return { operation, power };
  }

  private planFor(write: VoteWrite, votes: VoteEntry[], current: VoteEntry[]): WritePlan {
    const total = totalVotes(votes);
    const moved = movedVotes(current, votes);
    return {
      intent: { kind: 'vote', owner: write.owner, votes },
      subject: { type: write.subject, id: write.owner },
      // The vote targets are screened like any payee: votes direct rewards to them.
      counterparties: [write.owner, ...votes.map((v) => v.witness)],
      // Role limits count a vote as the TRX it commits: 1 vote = 1 TRX of TRON power.
      spending: { amountSun: BigInt(total) * SUN_PER_VOTE, operation: 'vote' },
      // Policy approval_workflows.witness_voting: a vote that MOVES ≥ threshold_votes (not the
      // resulting set) waits for approvers (the approvals module's gate in the pipeline). Always
      // named, so the gate never falls back to counting the whole set from `spending`.
      approval: this.approvalRule && { rule: this.approvalRule.name, votes: moved },
    };
  }
}

function requestedVotes(dto: VoteRequestDto): VoteEntry[] {
  if (dto.votes) {
    if (dto.witness_address !== undefined || dto.vote_count !== undefined)
      throw new StakingException(
        ErrorCode.INVALID_VOTE,
        'Send either witness_address with vote_count, or votes — not both.',
      );
    return dto.votes.map((v) => ({
      witness: toBase58Address(v.witness_address),
      count: v.vote_count,
    }));
  }
  if (dto.witness_address === undefined || dto.vote_count === undefined)
    throw new StakingException(
      ErrorCode.INVALID_VOTE,
      'Send witness_address with vote_count, or votes: [{witness_address, vote_count}].',
    );
  return [{ witness: dto.witness_address, count: dto.vote_count }];
}

function activated(account: ChainAccount): void {
  if (!account.exists)
    throw new StakingException(ErrorCode.ACCOUNT_NOT_ACTIVATED, undefined, {
      address: account.address,
    });
}
