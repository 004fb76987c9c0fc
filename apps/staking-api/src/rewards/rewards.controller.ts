import { RequirePermission } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Idempotent } from '@app/database';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentWrite, type WriteContext } from '../operations/write-context.js';
import { AddressParam } from '../staking/dto/staking-read.dto.js';
import { ClaimPolicyService } from './claim-policy.service.js';
import { ClaimPolicyDto, ClaimPolicyRequestDto } from './dto/claim-policy.dto.js';
import { ClaimRewardRequestDto, ClaimRewardResponseDto } from './dto/claim-reward.dto.js';
import { RewardInfoDto } from './dto/reward-info.dto.js';
import { RewardsService } from './rewards.service.js';
import { writeAnswerStatus } from '../operations/write-status.js';

@ApiTags('rewards')
@Controller('api/v1/tron/staking')
export class RewardsController {
  constructor(
    private readonly rewards: RewardsService,
    private readonly policies: ClaimPolicyService,
  ) {}

  @Get(':address/rewards')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: 'Voting rewards of an address',
    description:
      'Unclaimed reward (node getReward), last claim (chain latest_withdraw_time), next_claim_at (+24 h, the chain rule), and what this service claimed: totals split by resource and the claim history (staking_rewards).',
  })
  @ApiOkResponse({ type: RewardInfoDto })
  info(@Param() params: AddressParam): Promise<RewardInfoDto> {
    return this.rewards.info(params.address);
  }

  @Post('claim-reward')
  @Idempotent()
  @RequirePermission('rewards:claim')
  @ApiOperation({
    summary: 'Claim voting rewards (WithdrawBalance)',
    description:
      'Withdraws the whole unclaimed reward to the balance. Refused before anything is built: inside 24 h of the last claim (409 S420 with next_claim_at), nothing to claim (409 S421), a partial amount or a per-resource reward_type (422 S422: the chain withdraws everything).',
  })
  @ApiCreatedResponse({ type: ClaimRewardResponseDto, description: 'Claim broadcast.' })
  @ApiAcceptedResponse({
    type: ClaimRewardResponseDto,
    description: 'mode "unsigned": the transaction to sign; or the node was unreachable.',
  })
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description:
      'S420 claimed less than 24 h ago (details.next_claim_at) or a claim in flight; S421 nothing to claim.',
  })
  @ApiResponse({
    status: 422,
    type: ErrorResponseDto,
    description: 'S422 partial claim; S209 account not activated; S215 no managed key.',
  })
  async claim(
    @Body() dto: ClaimRewardRequestDto,
    @CurrentWrite() ctx: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClaimRewardResponseDto> {
    const answer = await this.rewards.claim(dto, ctx);
    void reply.status(writeAnswerStatus(answer.operation_state));
    return answer;
  }

  @Put('accounts/:address/claim-policy')
  @RequirePermission('rewards:claim')
  @ApiOperation({
    summary: 'Set the automatic claim policy of a managed account',
    description:
      'The claim-policy job claims when the chain allows it and the reward is at least min_reward_trx; with compound, it then freezes the claimed TRX for the resource.',
  })
  @ApiOkResponse({ type: ClaimPolicyDto })
  @ApiResponse({
    status: 400,
    type: ErrorResponseDto,
    description: 'S424 min_reward_trx outside the policy range.',
  })
  @ApiResponse({ status: 422, type: ErrorResponseDto, description: 'S215 no managed key.' })
  put(
    @Param() params: AddressParam,
    @Body() dto: ClaimPolicyRequestDto,
    @CurrentWrite() ctx: WriteContext,
  ): Promise<ClaimPolicyDto> {
    return this.policies.put(params.address, dto, ctx.actor);
  }

  @Get('accounts/:address/claim-policy')
  @RequirePermission('staking:read')
  @ApiOperation({ summary: 'The automatic claim policy of an account' })
  @ApiOkResponse({ type: ClaimPolicyDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'S423 no policy set.' })
  get(@Param() params: AddressParam): Promise<ClaimPolicyDto> {
    return this.policies.get(params.address);
  }

  @Delete('accounts/:address/claim-policy')
  @HttpCode(204)
  @RequirePermission('rewards:claim')
  @ApiOperation({ summary: 'Remove the automatic claim policy of an account' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'S423 no policy set.' })
  async remove(@Param() params: AddressParam): Promise<void> {
    await this.policies.remove(params.address);
  }
}
