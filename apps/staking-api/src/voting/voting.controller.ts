import { RequirePermission } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Idempotent } from '@app/database';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentWrite, type WriteContext } from '../operations/write-context.js';
import { AddressParam } from '../staking/dto/staking-read.dto.js';
import {
  AddressVotesDto,
  VoteResponseDto,
  WitnessListDto,
  WitnessListQueryDto,
} from './dto/vote-read.dto.js';
import { UnvoteRequestDto, VoteRequestDto } from './dto/vote-write.dto.js';
import { VotingQueriesService } from './voting-queries.service.js';
import { VotingService } from './voting.service.js';
import { writeAnswerStatus } from '../operations/write-status.js';
import { ApiWriteAccepted } from '../approvals/dto/write-accepted.js';

const WAITING =
  'mode "unsigned": the transaction to sign; or the node was unreachable and the signed transaction is re-sent automatically;';

// 201 once the transaction is broadcast; 202 while it waits for a signature or for the node.
const VOTE_ERRORS =
  'S401 invalid vote (no witness, a witness twice, both forms); S404 more than 30 witnesses; S108 bad vote_count; S403 not a witness (details.witness_address); S402 over TRON power (details.tron_power, details.total_votes); S209 not activated; S215 no managed key; S127/S128 role limits (1 vote = 1 TRX).';

@ApiTags('voting')
@Controller('api/v1/tron/staking')
export class VotingController {
  constructor(
    private readonly voting: VotingService,
    private readonly queries: VotingQueriesService,
  ) {}

  @Post('vote')
  @Idempotent()
  @RequirePermission('voting:write')
  @ApiOperation({
    summary: 'Vote for Super Representatives',
    description:
      "Single-SR form {address, witness_address, vote_count} or multi-SR form {address, votes:[…]} (1–30). A TRON vote replaces all of the account's votes, so the request is merged with the current votes (the requested witnesses get the requested counts, the others keep theirs) unless replace is true. Checked against fresh chain state before anything is built: the total must fit the TRON power, every witness must be a current witness or candidate.",
  })
  @ApiCreatedResponse({ type: VoteResponseDto })
  @ApiWriteAccepted(VoteResponseDto, WAITING)
  @ApiResponse({ status: 422, type: ErrorResponseDto, description: VOTE_ERRORS })
  async vote(
    @Body() dto: VoteRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VoteResponseDto> {
    const answer = await this.voting.vote(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Post('unvote')
  @Idempotent()
  @RequirePermission('voting:write')
  @ApiOperation({
    summary: 'Remove the votes for one Super Representative',
    description:
      'Re-votes the other current votes without witness_address. Removing every vote is refused with 409 S409: a TRON vote transaction needs at least one witness (only unfreezing drops votes).',
  })
  @ApiCreatedResponse({ type: VoteResponseDto })
  @ApiWriteAccepted(VoteResponseDto, WAITING)
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'S407 no vote (for that witness) to remove; S409 it would remove every vote.',
  })
  async unvote(
    @Body() dto: UnvoteRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VoteResponseDto> {
    const answer = await this.voting.unvote(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Get('votes/:address')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: "An address's votes: the chain's truth and our voting history",
    description:
      'TRON power, used and available, and the votes from the node; voting_history from our records, including changes the chain made on its own (an unfreeze scales votes down). Cached under witness_votes:{address}; every write and settlement of the address clears it.',
  })
  @ApiOkResponse({ type: AddressVotesDto })
  votes(@Param() params: AddressParam): Promise<AddressVotesDto> {
    return this.queries.votes(params.address);
  }

  @Get('witnesses')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: 'Super Representatives ranked, with brokerage and estimated voter APR',
    description:
      'Rank by tallied votes, URL, votes, brokerage, produced/missed blocks, is_active (top 27) and estimated_voter_apr from the chain parameters (README "Voting" has the formula). Cached for a minute.',
  })
  @ApiOkResponse({ type: WitnessListDto })
  witnesses(@Query() query: WitnessListQueryDto): Promise<WitnessListDto> {
    return this.queries.witnesses(query);
  }
}
