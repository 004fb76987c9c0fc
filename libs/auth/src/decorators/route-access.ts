import type { Permission } from '@app/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

export const ROUTE_ACCESS_KEY = 'auth:route-access';

/**
 * What a route asks of its caller. Every route declares one: `public` (no credentials),
 * `authenticated` (any valid principal, e.g. /auth/me) or a permission from the policy.
 */
export type RouteAccess =
  { kind: 'public' } | { kind: 'authenticated' } | { kind: 'permission'; permission: Permission };

// Swagger security scheme names; apps/staking-api/src/docs/swagger.ts registers the same two.
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api-key';

/** The access declared on a handler (method wins over class), or undefined when none is. */
export function routeAccessOf(
  reflector: Reflector,
  handler: object,
  controller: object,
): RouteAccess | undefined {
  return reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS_KEY, [
    handler as never,
    controller as never,
  ]);
}

export function routeAccessFromContext(
  reflector: Reflector,
  context: ExecutionContext,
): RouteAccess | undefined {
  return routeAccessOf(reflector, context.getHandler(), context.getClass());
}
