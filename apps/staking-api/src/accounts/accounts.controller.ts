import { PaginationQueryDto } from '@app/common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@app/auth';
import { IsTronAddress, TRON_ADDRESS_PATTERN } from '@app/tron';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { AccountsService } from './accounts.service.js';
import {
  CreateAccountDto,
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

  @Get(':address')
  @RequirePermission('accounts:read')
  @ApiOperation({ summary: 'One managed account' })
  @ApiOkResponse({ type: ManagedAccountDto })
  get(@Param() params: AddressParam): Promise<ManagedAccountDto> {
    return this.accounts.get(params.address);
  }
}
