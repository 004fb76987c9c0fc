import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from './principal-resolver.js';

export function requestMeta(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return {
    requestId: String(request.id),
    ip: request.ip,
    userAgent: typeof ua === 'string' ? ua : undefined,
  };
}

/** `METHOD /route/template` (ids stay out of the resource name). */
export function routeName(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions?.url ?? request.url.split('?')[0]}`;
}
