import { Authenticated, CurrentPrincipal, Public, requestMeta, type Principal } from '@app/auth';
import { ErrorResponseDto, SecurityPolicy } from '@app/common';
import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthService } from './auth.service.js';
import { LoginDto, RefreshDto } from './dto/login.dto.js';
import { MeDto, TokenPairDto } from './dto/token-pair.dto.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly policy: SecurityPolicy,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in',
    description:
      "Returns an access token (24 h) and a refresh token. The sign-in session lasts 7 days from this login (policy refresh_token_ttl_seconds): refreshing never extends it, and past it the session's tokens answer 401 S136. Repeated failures lock the account (423 S124).",
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'S121 wrong username or password (the answer never says which).',
  })
  @ApiResponse({
    status: 423,
    type: ErrorResponseDto,
    description: 'S124 locked after repeated failures; Retry-After says when to try again.',
  })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenPairDto> {
    return this.auth.login(dto.username, dto.password, requestMeta(req));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description:
      'The refresh token is spent; using it again revokes the whole session. The new pair ends with the session (7 days after login): past that → 401 S136, sign in again.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description:
      'S122 unknown, spent or revoked refresh token (a spent one revokes the session); S136 the session ended.',
  })
  refresh(@Body() dto: RefreshDto, @Req() req: FastifyRequest): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refresh_token, requestMeta(req));
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out',
    description: "Revokes the session's refresh and access tokens.",
  })
  @ApiNoContentResponse()
  async logout(
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.auth.logout(principal, req.accessSession, requestMeta(req));
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'Who am I', description: 'The caller, its role and permissions.' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): MeDto {
    return { ...principal, permissions: [...this.policy.permissionsOf(principal.role)] };
  }
}
