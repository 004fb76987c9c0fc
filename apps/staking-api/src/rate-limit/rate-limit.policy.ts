import type { Role, SecurityPolicy } from '@app/common';
import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;

/** Throttlers that need no principal: they run before authentication, so floods of bad credentials are limited too. */
export const EDGE_THROTTLERS = [
  'global-second',
  'global-minute',
  'ip-second',
  'ip-minute',
] as const;
/** Throttlers keyed by the authenticated caller. */
export const PRINCIPAL_THROTTLERS = [
  'endpoint',
  'user-second',
  'user-minute',
  'role-minute',
] as const;

const requestOf = (context: ExecutionContext) =>
  context.switchToHttp().getRequest<FastifyRequest>();
const routeOf = (request: FastifyRequest) =>
  request.routeOptions?.url ?? request.url.split('?')[0] ?? '';
const callerOf = (request: FastifyRequest) =>
  request.principal ? `${request.principal.kind}:${request.principal.id}` : `ip:${request.ip}`;

/**
 * A caller's own limits. A role's rate_limit_per_minute is its users' (and API keys') limit, per
 * second ceil(per minute / 60) but never below per_user.per_second; rate_limiting.per_user applies
 * only to a role that sets none. `byRole` says which rule applied: it picks the throttler (and so
 * the `scope` of a 429).
 */
export function principalLimits(
  policy: SecurityPolicy,
  role: Role,
): { perSecond: number; perMinute: number; byRole: boolean } {
  const perUser = policy.file.rate_limiting.per_user;
  const perMinute = policy.roleLimits(role).ratePerMinute;
  if (perMinute === null)
    return { perSecond: perUser.per_second, perMinute: perUser.per_minute, byRole: false };
  return {
    perSecond: Math.max(Math.ceil(perMinute / 60), perUser.per_second),
    perMinute,
    byRole: true,
  };
}

/** The throttlers, with every number from the policy's rate_limiting and rbac sections. */
export function buildThrottlers(policy: SecurityPolicy): ThrottlerOptions[] {
  const rl = policy.file.rate_limiting;
  const endpointRule = (request: FastifyRequest) =>
    rl.per_endpoint.find(
      (r) => r.path === routeOf(request) && r.method.toUpperCase() === request.method,
    );
  const noPrincipal = (context: ExecutionContext) => !requestOf(context).principal;
  const limitsOf = (context: ExecutionContext) =>
    principalLimits(policy, requestOf(context).principal!.role);
  // Keys never include the handler: a limit is per caller across all routes (except `endpoint`).
  const key = (_context: ExecutionContext, tracker: string, name: string) => `${name}:${tracker}`;

  return [
    {
      name: 'global-second',
      ttl: SECOND_MS,
      limit: rl.global.per_second,
      getTracker: () => 'all',
      generateKey: key,
    },
    {
      name: 'global-minute',
      ttl: MINUTE_MS,
      limit: rl.global.per_minute,
      getTracker: () => 'all',
      generateKey: key,
    },
    {
      name: 'ip-second',
      ttl: SECOND_MS,
      limit: rl.per_ip.per_second,
      getTracker: (req) => String(req.ip),
      generateKey: key,
    },
    {
      name: 'ip-minute',
      ttl: MINUTE_MS,
      limit: rl.per_ip.per_minute,
      getTracker: (req) => String(req.ip),
      generateKey: key,
    },
    {
      name: 'endpoint',
      ttl: MINUTE_MS,
      limit: (context) => endpointRule(requestOf(context))?.per_minute ?? Number.MAX_SAFE_INTEGER,
      skipIf: (context) => !endpointRule(requestOf(context)),
      getTracker: (req) => callerOf(req as FastifyRequest),
      generateKey: (context, tracker, name) => {
        const request = requestOf(context);
        return `${name}:${request.method}:${routeOf(request)}:${tracker}`;
      },
    },
    {
      name: 'user-second',
      ttl: SECOND_MS,
      limit: (context) => limitsOf(context).perSecond,
      skipIf: noPrincipal,
      getTracker: (req) => callerOf(req as FastifyRequest),
      generateKey: key,
    },
    // One minute counter per caller: `role-minute` when the role sets a number, else `user-minute`.
    {
      name: 'user-minute',
      ttl: MINUTE_MS,
      limit: rl.per_user.per_minute,
      skipIf: (context) => noPrincipal(context) || limitsOf(context).byRole,
      getTracker: (req) => callerOf(req as FastifyRequest),
      generateKey: key,
    },
    {
      name: 'role-minute',
      ttl: MINUTE_MS,
      limit: (context) => limitsOf(context).perMinute,
      skipIf: (context) => noPrincipal(context) || !limitsOf(context).byRole,
      getTracker: (req) => callerOf(req as FastifyRequest),
      generateKey: key,
    },
  ];
}

/** Health and metrics (policy exempt_paths) are never limited: probes must always get through. */
export function isExempt(policy: SecurityPolicy, request: FastifyRequest): boolean {
  const path = routeOf(request);
  return policy.file.rate_limiting.exempt_paths.includes(path);
}
