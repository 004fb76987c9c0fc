import { RequirePermission } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Idempotent } from '@app/database';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
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
import { DelegationWriteResponseDto, DelegationsViewDto } from './dto/delegation-read.dto.js';
import { DelegateRequestDto, UndelegateRequestDto } from './dto/delegation-write.dto.js';
import { DelegationQueriesService } from './delegation-queries.service.js';
import { DelegationService } from './delegation.service.js';
import { writeAnswerStatus } from '../operations/write-status.js';
import { ApiWriteAccepted } from '../approvals/dto/write-accepted.js';

const WAITING =
  'mode "unsigned": the transaction to sign; or the node was unreachable and the signed transaction is re-sent automatically;';

// 201 once broadcast; 202 while it waits for a signature or for the node.

@ApiTags('delegation')
@Controller('api/v1/tron/staking')
export class DelegationController {
  constructor(
    private readonly delegations: DelegationService,
    private readonly queries: DelegationQueriesService,
  ) {}

  @Post('delegate')
  @Idempotent()
  @RequirePermission('delegation:write')
  @ApiOperation({
    summary: 'Delegate energy or bandwidth to another address',
    description:
      "DelegateResourceContract. Checked before anything is built: 1 TRX ≤ amount ≤ the node's getcandelegatedmaxsize (S501/S502 with max_trx), receiver ≠ owner (S503), receiver activated (S504, or activate_receiver), lock_period ≤ getMaxDelegateLockPeriod (S508) and not ending before a running lock to the same receiver (S509 with current_lock_ends_at). Counts against the role's per-operation and daily limits.",
  })
  @ApiCreatedResponse({ type: DelegationWriteResponseDto })
  @ApiWriteAccepted(DelegationWriteResponseDto, WAITING)
  @ApiResponse({
    status: 422,
    type: ErrorResponseDto,
    description:
      'S160 owner or receiver named twice at odds (or not at all); S501 amount outside the policy; S502 over the delegatable maximum; S503 to itself; S504 receiver not activated; S508 lock period beyond the chain maximum; S509 shorter than a running lock.',
  })
  async delegate(
    @Body() dto: DelegateRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DelegationWriteResponseDto> {
    const answer = await this.delegations.delegate(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Post('undelegate')
  @Idempotent()
  @RequirePermission('delegation:write')
  @ApiOperation({
    summary: 'Take delegated energy or bandwidth back',
    description:
      'UnDelegateResourceContract: only the unlocked part (unlocked delegations and locks that have ended) can be taken back.',
  })
  @ApiCreatedResponse({ type: DelegationWriteResponseDto })
  @ApiWriteAccepted(DelegationWriteResponseDto, WAITING)
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'S505 still locked: details.unlock_at says when.',
  })
  @ApiResponse({
    status: 422,
    type: ErrorResponseDto,
    description: 'S510 more than is delegated; S506 (404) nothing delegated.',
  })
  async undelegate(
    @Body() dto: UndelegateRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DelegationWriteResponseDto> {
    const answer = await this.delegations.undelegate(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Get('delegations/:address')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: 'Delegations of an address, both ways',
    description:
      "From the chain (getdelegatedresourceaccountindexv2, getdelegatedresourcev2) with lock expiry and the energy/bandwidth the receiver gets, joined with the service's resource_delegations records; where they differ the chain wins and the record's chain_status says so.",
  })
  @ApiOkResponse({ type: DelegationsViewDto })
  view(@Param() params: AddressParam): Promise<DelegationsViewDto> {
    return this.queries.view(params.address);
  }
}
