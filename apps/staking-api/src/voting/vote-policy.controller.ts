import { RequirePermission } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentWrite, type WriteContext } from '../operations/write-context.js';
import { AddressParam } from '../staking/dto/staking-read.dto.js';
import { VotePolicyDto, VotePolicyRequestDto } from './dto/vote-policy.dto.js';
import { VotePolicyService } from './vote-policy.service.js';

@ApiTags('voting')
@Controller('api/v1/tron/staking/accounts')
export class VotePolicyController {
  constructor(private readonly policies: VotePolicyService) {}

  @Put(':address/vote-policy')
  @RequirePermission('voting:write')
  @ApiOperation({
    summary: "Set a managed account's vote policy",
    description:
      'With keep_fully_voted, the vote-policy job keeps 100 % of the TRON power voted after freezes, unfreezes (the chain scales votes down) and cancelled unfreezes; each re-vote is an ordinary operation.',
  })
  @ApiOkResponse({ type: VotePolicyDto })
  @ApiResponse({
    status: 400,
    type: ErrorResponseDto,
    description:
      'S408 invalid policy; S403 (422) a witness that is not one; S215 (422) not a managed account.',
  })
  put(
    @Param() params: AddressParam,
    @Body() dto: VotePolicyRequestDto,
    @CurrentWrite() ctx: WriteContext,
  ): Promise<VotePolicyDto> {
    return this.policies.put(params.address, dto, ctx.actor);
  }

  @Get(':address/vote-policy')
  @RequirePermission('staking:read')
  @ApiOperation({ summary: "A managed account's vote policy" })
  @ApiOkResponse({ type: VotePolicyDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'S406 no policy.' })
  get(@Param() params: AddressParam): Promise<VotePolicyDto> {
    return this.policies.get(params.address);
  }

  @Delete(':address/vote-policy')
  @HttpCode(204)
  @RequirePermission('voting:write')
  @ApiOperation({ summary: "Remove a managed account's vote policy (its votes stay as they are)" })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'S406 no policy.' })
  async delete(@Param() params: AddressParam): Promise<void> {
    await this.policies.delete(params.address);
  }
}
