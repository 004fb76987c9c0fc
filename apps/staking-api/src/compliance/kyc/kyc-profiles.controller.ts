import { RequirePermission } from '@app/auth';
import { ErrorResponseDto, PaginationQueryDto } from '@app/common';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  KycProfileDto,
  KycProfileListDto,
  KycProfileRequestDto,
  KycProfileUpdateDto,
  ProfileIdParam,
} from '../dto/kyc-profile.dto.js';
import { KycProfilesService } from './kyc-profiles.service.js';

const NOT_FOUND = { status: 404, type: ErrorResponseDto, description: 'S170 no such profile.' };
const INCONSISTENT = {
  status: 422,
  type: ErrorResponseDto,
  description:
    'S171 inconsistent profile (verified without level or date, expiry before verification).',
};

@ApiTags('compliance')
@Controller('api/v1/compliance/kyc-profiles')
export class KycProfilesController {
  constructor(private readonly profiles: KycProfilesService) {}

  @Post()
  @RequirePermission('compliance:write')
  @ApiOperation({
    summary: 'Create a KYC profile',
    description:
      'The name is screened against the sanctions and PEP lists at once; a hit opens an incident.',
  })
  @ApiCreatedResponse({ type: KycProfileDto })
  @ApiResponse(INCONSISTENT)
  create(@Body() dto: KycProfileRequestDto): Promise<KycProfileDto> {
    return this.profiles.create(dto);
  }

  @Get()
  @RequirePermission('compliance:read')
  @ApiOperation({ summary: 'List KYC profiles' })
  @ApiOkResponse({ type: KycProfileListDto })
  list(@Query() page: PaginationQueryDto): Promise<KycProfileListDto> {
    return this.profiles.list(page.skip, page.limit);
  }

  @Get(':id')
  @RequirePermission('compliance:read')
  @ApiOperation({ summary: 'One KYC profile with its last screening' })
  @ApiOkResponse({ type: KycProfileDto })
  @ApiResponse(NOT_FOUND)
  get(@Param() params: ProfileIdParam): Promise<KycProfileDto> {
    return this.profiles.get(params.id);
  }

  @Patch(':id')
  @RequirePermission('compliance:write')
  @ApiOperation({ summary: 'Change a KYC profile', description: 'A new name is screened again.' })
  @ApiOkResponse({ type: KycProfileDto })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(INCONSISTENT)
  update(
    @Param() params: ProfileIdParam,
    @Body() dto: KycProfileUpdateDto,
  ): Promise<KycProfileDto> {
    return this.profiles.update(params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('compliance:write')
  @ApiOperation({
    summary: 'Delete a KYC profile',
    description: 'Accounts still linking it can no longer move funds while KYC is on.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiResponse(NOT_FOUND)
  async delete(@Param() params: ProfileIdParam): Promise<void> {
    await this.profiles.delete(params.id);
  }
}
