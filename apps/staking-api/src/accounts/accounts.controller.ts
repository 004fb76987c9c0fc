import { ErrorResponseDto, PaginationQueryDto } from '@app/common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@app/auth';
import { IsTronAddress, TRON_ADDRESS_PATTERN } from '@app/tron';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AccountsService } from './accounts.service.js';
import {
  CreateAccountDto,
  LinkKycProfileDto,
  ManagedAccountDto,
  ManagedAccountListDto,
} from './dto/create-account.dto.js';

class AddressParam {
  @ApiProperty({
    description: 'TRON address: Base58 (T…) or 41-prefixed hex.',
    pattern: TRON_ADDRESS_PATTERN,
    example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
  })
  @IsTronAddress()
  address: string;
}

@ApiTags('accounts')
@Controller('api/v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @RequirePermission('accounts:write')
  @ApiOperation({
    summary: 'Create a managed account',
    description:
      'Generates a TRON key pair server-side and stores the private key encrypted (AES-256-GCM). The key is never returned. Import an existing key with the CLI only.',
  })
  @ApiCreatedResponse({ type: ManagedAccountDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'S170 no such KYC profile.' })
  create(
    @Body() dto: CreateAccountDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ManagedAccountDto> {
    return this.accounts.create(dto.label, dto.kyc_profile_id, principal);
  }

  @Get()
  @RequirePermission('accounts:read')
  @ApiOperation({ summary: 'List managed accounts' })
  @ApiOkResponse({ type: ManagedAccountListDto })
  list(@Query() page: PaginationQueryDto): Promise<ManagedAccountListDto> {
    return this.accounts.list(page.skip, page.limit);
  }

  @Patch(':address')
  @RequirePermission('accounts:write')
  @ApiOperation({
    summary: 'Link a managed account to a KYC profile',
    description:
      'With KYC on, an account moves funds only when its profile is verified and its level covers the amount (policy aml_kyc.kyc.levels).',
  })
  @ApiOkResponse({ type: ManagedAccountDto })
  @ApiResponse({
    status: 404,
    type: ErrorResponseDto,
    description: 'S170 no such KYC profile; S220 no such managed account.',
  })
  link(@Param() params: AddressParam, @Body() dto: LinkKycProfileDto): Promise<ManagedAccountDto> {
    return this.accounts.linkProfile(params.address, dto.kyc_profile_id);
  }

  @Get(':address')
  @RequirePermission('accounts:read')
  @ApiOperation({ summary: 'One managed account' })
  @ApiOkResponse({ type: ManagedAccountDto })
  get(@Param() params: AddressParam): Promise<ManagedAccountDto> {
    return this.accounts.get(params.address);
  }
}
