import { RequirePermission } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Idempotent } from '@app/database';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentWrite, type WriteContext } from '../../operations/write-context.js';
import {
  CreateEnergyPolicyDto,
  EnergyPolicyDto,
  EnergyPolicyListDto,
  EnergyPolicyListQueryDto,
  PolicyIdParam,
  UpdateEnergyPolicyDto,
} from '../dto/energy-policy.dto.js';
import { EnergyPoliciesService } from './energy-policies.service.js';

@ApiTags('delegation')
@Controller('api/v1/tron/staking/energy-policies')
export class EnergyPoliciesController {
  constructor(private readonly policies: EnergyPoliciesService) {}

  @Post()
  @Idempotent()
  @RequirePermission('energy_policies:manage')
  @ApiOperation({
    summary: 'Create an energy top-up policy',
    description:
      "Keeps the receiver's available energy (or bandwidth) above min_available by delegating from the managed pool account up to target_available, never beyond max_delegated_trx for the receiver nor the pool's can-delegate maximum; optionally reclaims after reclaim_idle_hours without use. Applied by a job every 30 s.",
  })
  @ApiCreatedResponse({ type: EnergyPolicyDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'S512 inconsistent policy.' })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'S513 policy exists.' })
  @ApiResponse({ status: 422, type: ErrorResponseDto, description: 'S215 pool not managed.' })
  @ApiResponse({
    status: 403,
    type: ErrorResponseDto,
    description: 'S132 the receiver (or pool) is on a sanctions list (AML_ENABLED).',
  })
  create(
    @Body() dto: CreateEnergyPolicyDto,
    @CurrentWrite() ctx: WriteContext,
  ): Promise<EnergyPolicyDto> {
    return this.policies.create(dto, ctx);
  }

  @Get()
  @RequirePermission('staking:read')
  @ApiOperation({ summary: 'List energy top-up policies', description: 'At most 500.' })
  @ApiOkResponse({ type: EnergyPolicyListDto })
  list(@Query() query: EnergyPolicyListQueryDto): Promise<EnergyPolicyListDto> {
    return this.policies.list(query.pool_address);
  }

  @Get(':id')
  @RequirePermission('staking:read')
  @ApiOperation({ summary: 'One energy top-up policy, with what the job last did' })
  @ApiOkResponse({ type: EnergyPolicyDto })
  get(@Param() params: PolicyIdParam): Promise<EnergyPolicyDto> {
    return this.policies.get(params.id);
  }

  @Patch(':id')
  @RequirePermission('energy_policies:manage')
  @ApiOperation({
    summary: 'Change an energy top-up policy',
    description: 'Pool, receiver and resource are fixed; a change wakes a dormant policy.',
  })
  @ApiOkResponse({ type: EnergyPolicyDto })
  update(
    @Param() params: PolicyIdParam,
    @Body() dto: UpdateEnergyPolicyDto,
  ): Promise<EnergyPolicyDto> {
    return this.policies.update(params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('energy_policies:manage')
  @ApiOperation({
    summary: 'Delete an energy top-up policy',
    description: 'What it delegated stays delegated; undelegate it with POST /undelegate.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async remove(@Param() params: PolicyIdParam): Promise<void> {
    await this.policies.remove(params.id);
  }
}
