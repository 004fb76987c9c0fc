import { CurrentPrincipal, RequirePermission, type Principal } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Body, Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApprovalPendingDto } from '../dto/approval.dto.js';
import { AddressParam } from '../../staking/dto/staking-read.dto.js';
import {
  AddAllowedReceiverDto,
  AllowedReceiverDto,
  AllowedReceiverListDto,
  ReceiverParam,
} from './allowed-receiver.dto.js';
import { AllowedReceiversService } from './allowed-receivers.service.js';

const NOT_MANAGED = 'S220 not a managed account.';
const PENDING =
  'By a role the policy does not exempt (allow_lists.change_approval: below admin), the change waits for an approver who is not the requester; approving it applies it (an addition’s cooling-off starts then).';

@ApiTags('accounts')
@Controller('api/v1/accounts')
export class AllowedReceiversController {
  constructor(private readonly receivers: AllowedReceiversService) {}

  @Get(':address/allowed-receivers')
  @RequirePermission('accounts:read')
  @ApiOperation({
    summary: "A managed account's allowed receivers",
    description: 'Each with active_from: the end of its cooling-off period (policy allow_lists).',
  })
  @ApiOkResponse({ type: AllowedReceiverListDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: NOT_MANAGED })
  list(@Param() params: AddressParam) {
    return this.receivers.list(params.address);
  }

  @Post(':address/allowed-receivers')
  @RequirePermission('accounts:write')
  @ApiOperation({
    summary: 'Allow a receiver (after the cooling-off period)',
    description:
      'Delegations and energy policies to it are accepted from active_from on (now + allow_lists.cooling_off_hours). Adding one already listed answers 200 with the entry unchanged.',
  })
  @ApiCreatedResponse({ type: AllowedReceiverDto })
  @ApiOkResponse({ type: AllowedReceiverDto, description: 'Already listed.' })
  @ApiAcceptedResponse({ type: ApprovalPendingDto, description: PENDING })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: NOT_MANAGED })
  @ApiResponse({
    status: 422,
    type: ErrorResponseDto,
    description: 'S553 the list is full; S554 the account itself.',
  })
  async add(
    @Param() params: AddressParam,
    @Body() dto: AddAllowedReceiverDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const change = await this.receivers.add(
      params.address,
      dto.receiver_address,
      dto.label,
      principal,
      String(req.id),
    );
    if ('pending' in change) {
      void reply.status(202);
      return change.pending;
    }
    void reply.status(change.applied.created ? 201 : 200);
    return change.applied.entry;
  }

  @Delete(':address/allowed-receivers/:receiver')
  @RequirePermission('accounts:write')
  @ApiOperation({ summary: 'Remove a receiver from the allow-list (effective at once)' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiAcceptedResponse({ type: ApprovalPendingDto, description: PENDING })
  @ApiResponse({
    status: 404,
    type: ErrorResponseDto,
    description: `${NOT_MANAGED} S552 the receiver is not listed.`,
  })
  async remove(
    @Param() params: ReceiverParam,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const change = await this.receivers.remove(
      params.address,
      params.receiver,
      principal,
      String(req.id),
    );
    if ('pending' in change) {
      void reply.status(202);
      return change.pending;
    }
    void reply.status(204);
  }
}
