import { CurrentPrincipal, RequirePermission, type Principal } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AddressParam } from '../staking/dto/staking-read.dto.js';
import { ResourcesQueryDto, ResourcesViewDto } from './dto/resources-view.dto.js';
import {
  WatchAddressDto,
  WatchedAddressDto,
  WatchedAddressListDto,
  WatchedAddressListQueryDto,
} from './dto/watched-address.dto.js';
import { ResourcesQueriesService } from './resources-queries.service.js';
import { WatchedAddressesService } from './watched-addresses.service.js';

// Static segments (watched-addresses) win over the staking controller's `:staking_id` in
// fastify's router whatever the registration order (test/resources.e2e-spec.ts checks it).
@ApiTags('resources')
@Controller('api/v1/tron/staking')
export class ResourcesController {
  constructor(
    private readonly watched: WatchedAddressesService,
    private readonly queries: ResourcesQueriesService,
  ) {}

  @Post('watched-addresses')
  @RequirePermission('resources:watch')
  @ApiOperation({
    summary: 'Watch an address',
    description:
      'The resource refresh job reads its energy, bandwidth, stake and TRON power on its schedule; low-resource alerts use its floors (or the policy defaults).',
  })
  @ApiCreatedResponse({ type: WatchedAddressDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'S607: already watched; S608: at the policy limit of watched addresses.',
  })
  watch(
    @Body() dto: WatchAddressDto,
    @CurrentPrincipal() by: Principal,
  ): Promise<WatchedAddressDto> {
    return this.watched.watch(dto, by);
  }

  @Get('watched-addresses')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: 'List watched addresses by refresh bucket',
    description:
      'One bucket (`slot`) per page, so each page is an equality lookup; `slots` says how many there are.',
  })
  @ApiOkResponse({ type: WatchedAddressListDto })
  list(@Query() query: WatchedAddressListQueryDto): Promise<WatchedAddressListDto> {
    return this.watched.list(query);
  }

  @Delete('watched-addresses/:address')
  @HttpCode(204)
  @RequirePermission('resources:watch')
  @ApiOperation({
    summary: 'Stop watching an address',
    description: 'A managed account stays monitored.',
  })
  @ApiNoContentResponse({ description: 'No longer watched.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'S606: the address is not watched.' })
  async unwatch(@Param() params: AddressParam): Promise<void> {
    await this.watched.unwatch(params.address);
  }

  @Get(':address/resources')
  @RequirePermission('staking:read')
  @ApiOperation({
    summary: 'Energy and bandwidth of an address',
    description:
      'From the latest refresh in the cache (resource_info:{address}) with its age, else read from the node; ?history=24h|7d adds downsampled points from the snapshots.',
  })
  @ApiOkResponse({ type: ResourcesViewDto })
  resources(
    @Param() params: AddressParam,
    @Query() query: ResourcesQueryDto,
  ): Promise<ResourcesViewDto> {
    return this.queries.view(params.address, query.history);
  }
}
