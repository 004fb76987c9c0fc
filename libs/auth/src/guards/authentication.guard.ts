import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuditTrail, SecurityAction } from '../audit/audit-trail.js';
import { routeAccessFromContext } from '../decorators/route-access.js';
import { PrincipalResolver, type Credentials } from './principal-resolver.js';
import { requestMeta, routeName } from './request-meta.js';

/**
 * Global guard: resolves the caller from `Authorization: Bearer` or the API key header on every
 * non-public route. Failures are 401 with an S-code and are audited.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly apiKeyHeader: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: PrincipalResolver,
    private readonly audit: AuditTrail,
    policy: SecurityPolicy,
  ) {
    this.apiKeyHeader = policy.file.authentication.api_keys.header.toLowerCase();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = routeAccessFromContext(this.reflector, context);
    // No declaration at all is left to the permission guard, which refuses it.
    if (access?.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const meta = requestMeta(request);
    const credentials = this.credentials(request);
    if (!credentials) {
      await this.audit.record({
        action: SecurityAction.ACCESS_DENIED,
        resource: routeName(request),
        ...meta,
        result: {
          status: 'denied',
          error_code: ErrorCode.AUTHENTICATION_REQUIRED,
          http_status: 401,
        },
      });
      throw new StakingException(ErrorCode.AUTHENTICATION_REQUIRED);
    }
    try {
      const { principal, session } = await this.resolver.resolve(credentials, meta);
      request.principal = principal;
      request.accessSession = session;
      return true;
    } catch (error) {
      if (error instanceof StakingException) {
        await this.audit.record({
          action: SecurityAction.FAILURE,
          resource: routeName(request),
          ...meta,
          params: { credential: credentials.kind },
          result: { status: 'denied', error_code: error.code, http_status: 401 },
        });
      }
      throw error;
    }
  }

  private credentials(request: FastifyRequest): Credentials | undefined {
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && authorization.length > 0) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      // A malformed Authorization header is a bad token, not a missing one.
      return { kind: 'bearer', token: match?.[1] ?? '' };
    }
    const key = request.headers[this.apiKeyHeader];
    if (typeof key === 'string' && key.length > 0) return { kind: 'api_key', key };
    return undefined;
  }
}
