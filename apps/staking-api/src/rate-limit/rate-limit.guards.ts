import { AuditTrail, requestMeta, routeName, SecurityAction } from '@app/auth';
import { AppConfigService, ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { EDGE_THROTTLERS, isExempt, PRINCIPAL_THROTTLERS } from './rate-limit.policy.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/** Shared behaviour: policy switch, exempt paths, 429 S126 with Retry-After, one audit entry per block. */
abstract class PolicyRateLimitGuard extends ThrottlerGuard {
  protected abstract readonly names: readonly string[];

  constructor(
    options: ThrottlerModuleOptions,
    private readonly storage: RedisThrottlerStorage,
    reflector: Reflector,
    private readonly policy: SecurityPolicy,
    private readonly config: AppConfigService,
    private readonly audit: AuditTrail,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((t) => this.names.includes(t.name!));
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (!this.config.get('RATE_LIMIT_ENABLED') || !this.policy.file.rate_limiting.enabled)
      return true;
    return isExempt(this.policy, context.switchToHttp().getRequest<FastifyRequest>());
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const throttler = detail.key.split(':')[0];
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    if (await this.storage.firstInBlock(detail.key, retryAfter * 1000)) {
      await this.audit.record({
        action: SecurityAction.RATE_LIMIT,
        resource: routeName(request),
        principal: request.principal,
        ...requestMeta(request),
        params: { throttler, limit: detail.limit, window_seconds: detail.ttl / 1000 },
        result: { status: 'denied', error_code: ErrorCode.RATE_LIMIT_EXCEEDED, http_status: 429 },
      });
    }
    throw new StakingException(
      ErrorCode.RATE_LIMIT_EXCEEDED,
      undefined,
      { limit: detail.limit, window_seconds: detail.ttl / 1000, scope: throttler },
      { 'Retry-After': String(retryAfter) },
    );
  }
}

/** Global and per-IP limits; runs before authentication. */
@Injectable()
export class EdgeRateLimitGuard extends PolicyRateLimitGuard {
  protected readonly names = EDGE_THROTTLERS;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: RedisThrottlerStorage,
    reflector: Reflector,
    policy: SecurityPolicy,
    config: AppConfigService,
    audit: AuditTrail,
  ) {
    super(options, storage, reflector, policy, config, audit);
  }
}

/** Per-user, per-role and per-endpoint limits; runs after authentication. */
@Injectable()
export class PrincipalRateLimitGuard extends PolicyRateLimitGuard {
  protected readonly names = PRINCIPAL_THROTTLERS;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: RedisThrottlerStorage,
    reflector: Reflector,
    policy: SecurityPolicy,
    config: AppConfigService,
    audit: AuditTrail,
  ) {
    super(options, storage, reflector, policy, config, audit);
  }
}
