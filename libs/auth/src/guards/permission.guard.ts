import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuditTrail, SecurityAction } from '../audit/audit-trail.js';
import { routeAccessFromContext } from '../decorators/route-access.js';
import { requestMeta, routeName } from './request-meta.js';

/**
 * Global guard: every route must declare its access (@Public, @Authenticated or
 * @RequirePermission); an undeclared route is refused (fail closed) and logged as a bug.
 * Denials are 403 S125 and audited.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  private readonly logger = new Logger('PermissionGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly policy: SecurityPolicy,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = routeAccessFromContext(this.reflector, context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (access?.kind === 'public') return true;
    const principal = request.principal;
    if (access?.kind === 'authenticated' && principal) return true;
    if (
      access?.kind === 'permission' &&
      principal &&
      this.policy.allows(principal.role, access.permission)
    )
      return true;
    if (!access) this.logger.error(`${routeName(request)} declares no access; refused`);
    await this.audit.record({
      action: SecurityAction.ACCESS_DENIED,
      resource: routeName(request),
      principal,
      ...requestMeta(request),
      params: {
        required:
          access?.kind === 'permission' ? access.permission : (access?.kind ?? 'undeclared'),
      },
      result: { status: 'denied', error_code: ErrorCode.PERMISSION_DENIED, http_status: 403 },
    });
    throw new StakingException(
      ErrorCode.PERMISSION_DENIED,
      undefined,
      access?.kind === 'permission'
        ? { required_permission: access.permission, role: principal?.role }
        : undefined,
    );
  }
}
