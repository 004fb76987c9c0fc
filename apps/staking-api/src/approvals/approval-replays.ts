import { Injectable, type OnModuleInit } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import {
  DelegateRequestDto,
  UndelegateRequestDto,
} from '../delegation/dto/delegation-write.dto.js';
import { DelegationService } from '../delegation/delegation.service.js';
import type { Resource } from '@app/tron';
import { JOB_REPLAY, type WriteContext } from '../operations/write-context.js';
import {
  ALLOW_LIST_ROUTES,
  AllowedReceiversService,
} from './allow-lists/allowed-receivers.service.js';
import type { VoteEntry } from '../voting/vote-rules.js';
import {
  FreezeRequestDto,
  StakeRequestDto,
  UnfreezeRequestDto,
  UnstakeRequestDto,
} from '../staking/dto/staking-write.dto.js';
import { StakingService } from '../staking/staking.service.js';
import { UnfreezeService } from '../staking/unfreeze.service.js';
import { UnvoteRequestDto, VoteRequestDto } from '../voting/dto/vote-write.dto.js';
import { VotingService } from '../voting/voting.service.js';

type Replay = (body: unknown, ctx: WriteContext) => Promise<unknown>;

/** A job's delegation order as stored with its approval (the amount as a decimal string). */
interface DelegationBody {
  owner: string;
  receiver: string;
  amountSun: string;
  resource: Resource;
  mode: 'custodial';
}

const STAKING = 'POST /api/v1/tron/staking';

/**
 * How an approved write is re-planned: the route it came in on, mapped to the area's service
 * call, so the area's own rules run again on fresh state. Areas outside this module add theirs
 * with `register`. The body was validated when the request came in.
 */
@Injectable()
export class ApprovalReplays implements OnModuleInit {
  private readonly replays = new Map<string, Replay>();

  constructor(
    private readonly staking: StakingService,
    private readonly unfreezes: UnfreezeService,
    private readonly voting: VotingService,
    private readonly delegation: DelegationService,
    private readonly allowLists: AllowedReceiversService,
  ) {}

  onModuleInit(): void {
    const as =
      <T extends object>(
        dto: ClassConstructor<T>,
        run: (d: T, ctx: WriteContext) => Promise<unknown>,
      ) =>
      (body: unknown, ctx: WriteContext) =>
        run(plainToInstance(dto, body as object), ctx);
    this.register(
      `${STAKING}/stake`,
      as(StakeRequestDto, (d, c) => this.staking.stake(d, c)),
    );
    this.register(
      `${STAKING}/freeze`,
      as(FreezeRequestDto, (d, c) => this.staking.freeze(d, c)),
    );
    this.register(
      `${STAKING}/unstake`,
      as(UnstakeRequestDto, (d, c) => this.staking.unstake(d, c)),
    );
    this.register(
      `${STAKING}/unfreeze`,
      as(UnfreezeRequestDto, (d, c) => this.unfreezes.unfreeze(d, c)),
    );
    this.register(
      `${STAKING}/vote`,
      as(VoteRequestDto, (d, c) => this.voting.vote(d, c)),
    );
    this.register(
      `${STAKING}/unvote`,
      as(UnvoteRequestDto, (d, c) => this.voting.unvote(d, c)),
    );
    // large_delegation (policy approval_workflows): ≥ 100,000 TRX waits for two approvers.
    this.register(
      `${STAKING}/delegate`,
      as(DelegateRequestDto, (d, c) => this.delegation.delegate(d, c)),
    );
    this.register(
      `${STAKING}/undelegate`,
      as(UndelegateRequestDto, (d, c) => this.delegation.undelegate(d, c)),
    );
    // Approved allow-list changes (policy allow_lists.change_approval), applied as the requester.
    type Change = { address: string; receiver_address: string; label?: string };
    this.register(ALLOW_LIST_ROUTES.add, (body, ctx) => {
      const b = body as Change;
      return this.allowLists.add(
        b.address,
        b.receiver_address,
        b.label,
        ctx.principal!,
        ctx.requestId,
        ctx.resume!.approvalId,
      );
    });
    this.register(ALLOW_LIST_ROUTES.remove, (body, ctx) => {
      const b = body as Change;
      return this.allowLists.remove(
        b.address,
        b.receiver_address,
        ctx.principal!,
        ctx.requestId,
        ctx.resume!.approvalId,
      );
    });
    // The service's own jobs' writes, re-planned as the job made them (see systemWrite).
    this.register(JOB_REPLAY.votePolicy, (body, ctx) => {
      const b = body as { address: string; votes: VoteEntry[] };
      return this.voting.submit({
        owner: b.address,
        mode: 'custodial',
        ctx,
        subject: 'vote-policy',
        votesFrom: () => b.votes,
      });
    });
    this.register(JOB_REPLAY.topUp, (body, ctx) => {
      const b = body as DelegationBody & { lock: boolean; lockPeriod: number; policyId?: string };
      return this.delegation.submitDelegation({ ...b, amountSun: BigInt(b.amountSun) }, ctx);
    });
    this.register(JOB_REPLAY.reclaim, (body, ctx) => {
      const b = body as DelegationBody;
      return this.delegation.submitUndelegation({ ...b, amountSun: BigInt(b.amountSun) }, ctx);
    });
  }

  register(route: string, replay: Replay): void {
    this.replays.set(route, replay);
  }

  has(route: string): boolean {
    return this.replays.has(route);
  }

  run(route: string, body: unknown, ctx: WriteContext): Promise<unknown> {
    const replay = this.replays.get(route);
    if (!replay) throw new Error(`no replay registered for ${route}`);
    return replay(body, ctx);
  }
}
