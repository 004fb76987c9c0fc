import { RequirePermission } from '@app/auth';
import { TronGateway } from '@app/tron';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  OperationDto,
  OperationIdParam,
  OperationListDto,
  OperationListQueryDto,
  SubmitSignatureDto,
} from './dto/operation.dto.js';
import { toOperationDto } from './operation-view.js';
import { OperationsRepository } from './operations.repository.js';
import { OperationsService } from './operations.service.js';
import type { OperationState } from './operation.types.js';

@ApiTags('operations')
@Controller('api/v1/operations')
export class OperationsController {
  constructor(
    private readonly operations: OperationsService,
    private readonly repo: OperationsRepository,
    private readonly gateway: TronGateway,
  ) {}

  /** The head for confirmations; a read never fails because the node does. */
  private async headNumber(): Promise<number | undefined> {
    return (await this.gateway.getLatestBlock().catch(() => undefined))?.number;
  }

  @Get()
  @RequirePermission('operations:read')
  @ApiOperation({
    summary: 'List on-chain operations',
    description: 'Newest first; filter by owner address and state.',
  })
  @ApiOkResponse({ type: OperationListDto })
  async list(@Query() query: OperationListQueryDto): Promise<OperationListDto> {
    const { items, total } = await this.repo.list(
      { owner_address: query.address, state: query.state as OperationState | undefined },
      query.skip,
      query.limit,
    );
    const head = items.some((op) => op.block_number) ? await this.headNumber() : undefined;
    return {
      operations: items.map((op) => toOperationDto(op, head)),
      total_count: total,
      skip: query.skip,
      limit: query.limit,
    };
  }

  @Get(':id')
  @RequirePermission('operations:read')
  @ApiOperation({
    summary: 'One operation',
    description:
      'State, transaction hash, block and confirmations, and the history of every transition. "broadcast" with a block_number: in a block, not final yet; "confirmed": the solidified chain has passed its block.',
  })
  @ApiOkResponse({ type: OperationDto })
  async get(@Param() params: OperationIdParam): Promise<OperationDto> {
    const op = await this.operations.get(params.id);
    return toOperationDto(op, op.block_number ? await this.headNumber() : undefined);
  }

  @Post(':id/signature')
  @HttpCode(200)
  @RequirePermission('operations:sign')
  @ApiOperation({
    summary: 'Submit the signature of an unsigned operation',
    description:
      'Non-custodial path: the signature must recover to the operation owner; the stored transaction is then broadcast. Repeating the same signature returns the operation.',
  })
  @ApiOkResponse({ type: OperationDto })
  async sign(
    @Param() params: OperationIdParam,
    @Body() body: SubmitSignatureDto,
  ): Promise<OperationDto> {
    return toOperationDto(await this.operations.submitSignature(params.id, body.signature));
  }
}
