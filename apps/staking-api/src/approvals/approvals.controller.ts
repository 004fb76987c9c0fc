import { CurrentPrincipal, RequirePermission, type Principal } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApprovalsService } from './approvals.service.js';
import {
  ApprovalDto,
  ApprovalIdParam,
  ApprovalListDto,
  ApprovalListQueryDto,
  ApproveRequestDto,
  RejectRequestDto,
} from './dto/approval.dto.js';

const DECISION_CONFLICTS =
  'S218 expired; S219 already decided; S720 this approver already approved; S703 decided at the same time by another approver (retry).';

@ApiTags('approvals')
@Controller('api/v1/approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get()
  @RequirePermission('approvals:read')
  @ApiOperation({
    summary: 'Approvals by status',
    description: 'Approvals in one status (default pending), skip/limit pagination.',
  })
  @ApiOkResponse({ type: ApprovalListDto })
  list(@Query() query: ApprovalListQueryDto) {
    return this.approvals.list(query.status ?? 'pending', query.skip, query.limit);
  }

  @Get(':id')
  @RequirePermission('approvals:read')
  @ApiOperation({ summary: 'One approval, with its simulated effect and decisions' })
  @ApiOkResponse({ type: ApprovalDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'S216 no such approval.' })
  get(@Param() params: ApprovalIdParam) {
    return this.approvals.get(params.id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @RequirePermission('approvals:decide')
  @ApiOperation({
    summary: 'Approve a pending write',
    description:
      'One vote per approver; never the requester (nor through one of their API keys). The last approval needed re-plans the write on fresh chain state: same material facts → it executes; changed ones → back to pending with the new effect.',
  })
  @ApiOkResponse({ type: ApprovalDto })
  @ApiResponse({
    status: 403,
    type: ErrorResponseDto,
    description: 'S217 the requester cannot approve.',
  })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'S216 no such approval.' })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: DECISION_CONFLICTS })
  approve(
    @Param() params: ApprovalIdParam,
    @Body() body: ApproveRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
  ) {
    return this.approvals.approve(params.id, principal, body.comment, String(req.id));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('approvals:decide')
  @ApiOperation({
    summary: 'Reject a pending write',
    description:
      'One rejection ends it (the requester may withdraw their own); the operation is cancelled.',
  })
  @ApiOkResponse({ type: ApprovalDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'S216 no such approval.' })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: DECISION_CONFLICTS })
  reject(
    @Param() params: ApprovalIdParam,
    @Body() body: RejectRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
  ) {
    return this.approvals.reject(params.id, principal, body.comment, String(req.id));
  }
}
