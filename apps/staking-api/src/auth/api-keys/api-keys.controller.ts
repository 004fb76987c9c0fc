import { CurrentPrincipal, RequirePermission, type Principal } from '@app/auth';
import { PaginationQueryDto } from '@app/common';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiParam,
} from '@nestjs/swagger';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyDto, ApiKeyListDto, CreatedApiKeyDto } from './dto/api-key.dto.js';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';

@ApiTags('auth')
@Controller('api/v1/auth/api-keys')
@RequirePermission('api-keys:manage')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API key for a service',
    description:
      'The key is in this answer only; send it as the X-API-Key header. Only its hash is stored. With expires_at it stops working then (401 S137).',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(
    @Body() dto: CreateApiKeyDto,
    @CurrentPrincipal() by: Principal,
  ): Promise<CreatedApiKeyDto> {
    const { record, key } = await this.keys.create(dto, by);
    return {
      id: record.id,
      key,
      role: record.role,
      name: record.name,
      created_at: record.created_at.toISOString(),
      expires_at: record.expires_at?.toISOString() ?? null,
    };
  }

  @Get()
  @ApiOperation({
    summary: 'List API keys (never the keys themselves)',
    description: 'With each key its expiry and whether it has expired.',
  })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(@Query() page: PaginationQueryDto): Promise<ApiKeyListDto> {
    const { items, total } = await this.keys.list(page.skip, page.limit);
    return {
      items: items.map((k) => ApiKeyDto.from(k)),
      total,
      skip: page.skip,
      limit: page.limit,
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API key',
    description: 'Requests with it are refused at once (401 S129).',
  })
  @ApiParam({
    name: 'id',
    description: 'API key id: 24 lowercase hex characters.',
    schema: { type: 'string', pattern: '^[0-9a-f]{24}$' },
    example: '6b0fbdedd8d292baf6a89d62',
  })
  @ApiNoContentResponse()
  async revoke(@Param('id') id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}
