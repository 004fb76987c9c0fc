import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ROUTE_ACCESS_KEY, type RouteAccess } from './route-access.js';

const PUBLIC: RouteAccess = { kind: 'public' };

/** The route needs no credentials. Stated explicitly: a route with no access declaration is refused. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROUTE_ACCESS_KEY, PUBLIC), ApiExtension('x-access', 'public'));
