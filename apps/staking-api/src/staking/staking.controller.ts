import { RequirePermission } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Idempotent } from '@app/database';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentWrite, type WriteContext } from '../operations/write-context.js';
import { AddressStakingStatusDto } from './dto/address-views.dto.js';
import {
  AddressParam,
  StakingHistoryQueryDto,
  StakingHistoryResponseDto,
  StakingIdParam,
  StakingListQueryDto,
  StakingListResponseDto,
  StakingRecordDto,
  StakingStatsResponseDto,
  StakingWriteResponseDto,
  UnfreezeResponseDto,
} from './dto/staking-read.dto.js';
import {
  CancelUnfreezeRequestDto,
  FreezeRequestDto,
  StakeRequestDto,
  UnfreezeRequestDto,
  UnstakeRequestDto,
} from './dto/staking-write.dto.js';
import { StakingQueriesService } from './staking-queries.service.js';
import { StakingService } from './staking.service.js';
import { UnfreezeService } from './unfreeze.service.js';
import { writeAnswerStatus } from '../operations/write-status.js';
import { ApiWriteAccepted } from '../approvals/dto/write-accepted.js';

const WAITING =
  'mode "unsigned": the transaction to sign; or the node was unreachable and the signed transaction is re-sent automatically;';

// 201 once the transaction is broadcast; 202 while it waits for a signature or for the node.
const WRITE_ERRORS =
  'S1xx invalid input; S201 insufficient balance; S209 account not activated; S215 no managed key; S127/S128 role limits; S706 Idempotency-Key reused with another body; chain refusals carry their S2xx–S5xx code.';

@ApiTags('staking')
@Controller('api/v1/tron/staking')
export class StakingController {
  constructor(
    private readonly staking: StakingService,
    private readonly unfreezes: UnfreezeService,
    private readonly queries: StakingQueriesService,
  ) {}

  @Post('stake')
  @Idempotent()
  @RequirePermission('staking:write')
  @ApiOperation({
    summary: 'Stake TRX (freeze under Stake 2.0) with a holding period',
    description:
      'Creates a staking record and freezes the TRX for ENERGY or BANDWIDTH. Answers as soon as the transaction is broadcast; the record turns active when it is confirmed.',
  })
  @ApiCreatedResponse({ type: StakingWriteResponseDto })
  @ApiWriteAccepted(StakingWriteResponseDto, WAITING)
  @ApiResponse({ status: 422, type: ErrorResponseDto, description: WRITE_ERRORS })
  async stake(
    @Body() dto: StakeRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StakingWriteResponseDto> {
    const answer = await this.staking.stake(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Post('freeze')
  @Idempotent()
  @RequirePermission('staking:write')
  @ApiOperation({
    summary: 'Freeze TRX for a resource',
    description:
      'As /stake; the holding period (duration) is optional and defaults to the policy minimum.',
  })
  @ApiCreatedResponse({ type: StakingWriteResponseDto })
  @ApiWriteAccepted(StakingWriteResponseDto, WAITING)
  @ApiResponse({ status: 422, type: ErrorResponseDto, description: WRITE_ERRORS })
  async freeze(
    @Body() dto: FreezeRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StakingWriteResponseDto> {
    const answer = await this.staking.freeze(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Post('unstake')
  @Idempotent()
  @RequirePermission('staking:write')
  @ApiOperation({
    summary: 'Unstake a staking record',
    description:
      "Unfreezes the record's TRX once its holding period has ended (409 S303 before). The TRX returns after the chain's unfreeze delay (14 days on mainnet) and is withdrawn automatically.",
  })
  @ApiCreatedResponse({ type: StakingWriteResponseDto })
  @ApiWriteAccepted(StakingWriteResponseDto, WAITING)
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'S303 holding period not ended; S305 already unstaked; S302 not active.',
  })
  async unstake(
    @Body() dto: UnstakeRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StakingWriteResponseDto> {
    const answer = await this.staking.unstake(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Post('unfreeze')
  @Idempotent()
  @RequirePermission('staking:write')
  @ApiOperation({
    summary: 'Unfreeze staked TRX (all or part)',
    description:
      'Unfreezes stake of a resource that no running holding period holds; amount omitted = all of it. The released stake is taken from stake no record holds first, then from records whose holding period is over (oldest first; a record is split when only part of it is needed). Every released record turns inactive when the unfreeze is final and its TRX is withdrawn automatically after the unfreeze delay.',
  })
  @ApiCreatedResponse({ type: UnfreezeResponseDto, description: 'Unfreeze broadcast.' })
  @ApiWriteAccepted(UnfreezeResponseDto, WAITING)
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'S303 part of the stake is still in a holding period (details.held_until).',
  })
  @ApiResponse({
    status: 422,
    type: ErrorResponseDto,
    description: 'S304 more than the undelegated frozen balance; S210 32 unfreezes pending.',
  })
  async unfreeze(
    @Body() dto: UnfreezeRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UnfreezeResponseDto> {
    const answer = await this.unfreezes.unfreeze(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Post('cancel-unfreeze')
  @Idempotent()
  @RequirePermission('staking:write')
  @ApiOperation({
    summary: 'Cancel all pending unfreezes of an address',
    description:
      "cancelallunfreezev2: every unfreeze still in the chain's delay goes back to frozen (its records turn expired: frozen and unstakable), and those past the delay are withdrawn to the balance (their records turn completed), as the chain does in the same transaction.",
  })
  @ApiCreatedResponse({ type: UnfreezeResponseDto })
  @ApiAcceptedResponse({ type: UnfreezeResponseDto })
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'S306 no pending unfreeze to cancel.',
  })
  async cancelUnfreeze(
    @Body() dto: CancelUnfreezeRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UnfreezeResponseDto> {
    const answer = await this.unfreezes.cancelUnfreeze(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Get('list')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: 'List staking records',
    description:
      'Filter by address, status and resource; skip/limit pagination (limit 1–1000, default 100).',
  })
  @ApiOkResponse({ type: StakingListResponseDto })
  list(@Query() query: StakingListQueryDto): Promise<StakingListResponseDto> {
    return this.queries.list(query);
  }

  @Get('stats')
  @RequirePermission('staking:read')
  @ApiOperation({ summary: 'Staking statistics' })
  @ApiOkResponse({ type: StakingStatsResponseDto })
  stats(): Promise<StakingStatsResponseDto> {
    return this.queries.stats();
  }

  @Get('history')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: 'Staking history in a date range',
    description: 'Records created between start_date and end_date (default: the last 30 days).',
  })
  @ApiOkResponse({ type: StakingHistoryResponseDto })
  history(@Query() query: StakingHistoryQueryDto): Promise<StakingHistoryResponseDto> {
    return this.queries.history(query);
  }

  @Get(':address/status')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: 'Staking status of an address',
    description:
      'Frozen, unfreezing with availability dates, withdrawable now, TRON Power and votes, from the node.',
  })
  @ApiOkResponse({ type: AddressStakingStatusDto })
  status(@Param() params: AddressParam): Promise<AddressStakingStatusDto> {
    return this.queries.status(params.address);
  }

  @Get(':staking_id')
  @RequirePermission('staking:read')
  @ApiOperation({ summary: 'One staking record' })
  @ApiOkResponse({ type: StakingRecordDto })
  get(@Param() params: StakingIdParam): Promise<StakingRecordDto> {
    return this.queries.get(params.staking_id);
  }
}
