import { ErrorResponseDto, type Permission } from '@app/common';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  API_KEY_SCHEME,
  BEARER_SCHEME,
  ROUTE_ACCESS_KEY,
  type RouteAccess,
} from './route-access.js';

function secured(access: RouteAccess, forbidden?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS_KEY, access),
    ApiBearerAuth(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiExtension(
      'x-access',
      access.kind === 'permission' ? `permission:${access.permission}` : access.kind,
    ),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description:
        'S120 no credentials, S122 invalid token, S123 expired token, S129 invalid or revoked API key.',
    }),
    ...(forbidden
      ? [ApiForbiddenResponse({ type: ErrorResponseDto, description: forbidden })]
      : []),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description: 'S126 rate limit exceeded; wait for the Retry-After header.',
    }),
  );
}

/** The route needs this permission (roles map to permissions in the security policy). Sets Swagger security too. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  secured(
    { kind: 'permission', permission },
    `S125: the caller's role lacks the "${permission}" permission.`,
  );

/** Any signed-in user or API key, whatever its role (e.g. GET /auth/me). */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  secured({ kind: 'authenticated' });
