import { CurrentPrincipal, RequirePermission, requestMeta, type Principal } from '@app/auth';
import { ErrorResponseDto, PaginationQueryDto } from '@app/common';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiParam,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserDto, UserListDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('api/v1/users')
@RequirePermission('users:manage')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users', description: 'Deleted users are not listed.' })
  @ApiOkResponse({ type: UserListDto })
  async list(@Query() page: PaginationQueryDto): Promise<UserListDto> {
    const { items, total } = await this.users.list(page.skip, page.limit);
    return { items: items.map((u) => UserDto.from(u)), total, skip: page.skip, limit: page.limit };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a user',
    description: 'The password is hashed with scrypt; it is never returned or logged.',
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'S805: the username is taken.' })
  async create(@Body() dto: CreateUserDto, @CurrentPrincipal() by: Principal): Promise<UserDto> {
    return UserDto.from(await this.users.create(dto, by));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change role, status or password; end a lock-out',
    description:
      'A new password, another role or disabling ends every session of the user at once: its access and refresh tokens answer 401 S122 and it signs in again. Audited as auth.sessions_revoked. Ending a lock-out leaves sessions alone.',
  })
  @ApiParam({
    name: 'id',
    description: 'User id: 24 lowercase hex characters.',
    schema: { type: 'string', pattern: '^[0-9a-f]{24}$' },
    example: '6b0fbdedd8d292baf6a89d62',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'S139: an admin cannot delete, disable or demote themselves, and the last active admin stays.',
  })
  async update(
    @Param('id') id: string,
    @Body() dto: UpdateUserDto,
    @CurrentPrincipal() by: Principal,
    @Req() req: FastifyRequest,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.update(id, dto, by, requestMeta(req)));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a user',
    description:
      'Its sessions are revoked and its tokens stop working at once. The last active admin cannot be deleted.',
  })
  @ApiParam({
    name: 'id',
    description: 'User id: 24 lowercase hex characters.',
    schema: { type: 'string', pattern: '^[0-9a-f]{24}$' },
    example: '6b0fbdedd8d292baf6a89d62',
  })
  @ApiNoContentResponse()
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'S139: an admin cannot delete, disable or demote themselves, and the last active admin stays.',
  })
  async remove(
    @Param('id') id: string,
    @CurrentPrincipal() by: Principal,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.users.remove(id, by, requestMeta(req));
  }
}
